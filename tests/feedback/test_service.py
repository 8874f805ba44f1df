"""The feedback service over real HTTP (uvicorn): the form, a stored comment, and every
refusal with its status and Chinese message; markup stays text."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from fb_helpers import (
    DATA,
    SITE,
    form_fields,
    open_form,
    post,
    running,
    visible_text,
)
from netutil import free_port

from stdhub.feedback import store
from stdhub.feedback.service import Limits

CLAUSE = {
    "id": "HNMZ/T 0101-2026",
    "version": "2026",
    "title": "养老机构服务质量评价规范",
    "url": SITE + "standards/HNMZ-T-0101-2026/",
    "anchor": "clause-5-4",
}
QUICK = Limits(min_fill=0.3)  # the default (3 s) is tested on its own below


@pytest.fixture
def client():
    with httpx.Client(timeout=20) as c:
        yield c


def filled(client, base, text="建议把评价周期从一年改为半年。", about=CLAUSE, **more) -> dict:
    fields = open_form(client, base, **about)
    fields.update(text=text, **more)
    time.sleep(QUICK.min_fill)
    return fields


def test_the_form_says_what_the_comment_is_about_in_words(tmp_path: Path, client) -> None:
    with running(tmp_path) as svc:
        page = client.get(svc.base + "new", params=CLAUSE)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    shown = visible_text(page.text)
    assert "HNMZ/T 0101-2026 养老机构服务质量评价规范" in shown and "第 5.4 条" in shown
    assert "clause-5-4" not in shown  # an internal id is never shown to people
    assert "2026 2026" not in shown and "版本" not in shown  # the year is in the id already
    assert f'href="{CLAUSE["url"]}#clause-5-4"' in page.text
    fields = form_fields(page.text)
    assert {k: fields[k] for k in CLAUSE} == CLAUSE and fields["token"] and fields["ts"]
    assert fields["website"] == ""  # the honeypot, empty


def test_a_comment_is_stored_with_what_it_is_about(tmp_path: Path, client) -> None:
    with running(tmp_path, QUICK) as svc:
        fields = filled(client, svc.base, name="张先生", contact="zhang@example.com")
        answer = post(client, svc.base, fields)
        rows = svc.comments()
    assert answer.status_code == 200, answer.text
    assert "您的意见已收到" in answer.text and "第 5.4 条" in answer.text
    assert f'<a href="{CLAUSE["url"]}#clause-5-4" target="_top">返回原页面</a>' in answer.text
    assert len(rows) == 1
    row = rows[0]
    assert (row["about"], row["version"], row["title"], row["anchor"], row["page"]) == (
        CLAUSE["id"], CLAUSE["version"], CLAUSE["title"], CLAUSE["anchor"], CLAUSE["url"]
    )  # fmt: skip
    assert row["text"] == "建议把评价周期从一年改为半年。"
    assert (row["name"], row["contact"]) == ("张先生", "zhang@example.com")
    assert row["id"] in answer.text and "张先生" not in answer.text  # never shown back
    # the address is kept only as a keyed hash
    assert len(row["client"]) == 32 and "127.0.0.1" not in str(row)


def test_the_site_as_a_whole_when_the_link_names_nothing(tmp_path: Path, client) -> None:
    with running(tmp_path) as svc:
        page = client.get(svc.base)
    assert page.status_code == 200 and form_fields(page.text)["id"] == "网站"


def test_no_link_back_to_another_site(tmp_path: Path, client) -> None:
    about = {**CLAUSE, "url": "https://evil.example.com/phish"}
    with running(tmp_path, QUICK) as svc:
        fields = filled(client, svc.base, about=about)
        answer = post(client, svc.base, fields)
    assert answer.status_code == 200 and "evil.example.com" not in answer.text


def test_a_datasette_row_link_back_to_data(tmp_path: Path, client) -> None:
    about = {
        "id": "social-organizations/organizations",
        "title": "社会组织 · 社会组织名录 · 湖南省养老服务协会",
        "url": DATA + "social-organizations/organizations/51430000MJJ123456X",
        "anchor": "row-51430000MJJ123456X",
    }
    with running(tmp_path, QUICK) as svc:
        page = client.get(svc.base + "new", params=about)
        answer = post(client, svc.base, filled(client, svc.base, about=about))
    assert "湖南省养老服务协会" in visible_text(page.text)
    assert "row-51430000MJJ123456X" not in visible_text(page.text)
    assert (
        f'<a href="{about["url"]}" target="_top">返回原页面</a>' in answer.text
    )  # the row is its page


# -- refusals -------------------------------------------------------------------------------


def refused(answer: httpx.Response, status: int, words: str) -> None:
    assert answer.status_code == status, (answer.status_code, visible_text(answer.text)[:500])
    assert words in visible_text(answer.text)
    assert answer.headers["content-type"] == "text/html; charset=utf-8"


def test_rate_limit_per_address(tmp_path: Path, client) -> None:
    limits = Limits(min_fill=0.3, per_client=((2, 600),))
    with running(tmp_path, limits, proxy="127.0.0.1") as svc:
        for i in range(2):
            answer = post(client, svc.base, filled(client, svc.base, text=f"第 {i} 条意见"))
            assert answer.status_code == 200
        third = post(client, svc.base, filled(client, svc.base, text="第三条意见"))
        other = post(
            client, svc.base, filled(client, svc.base, text="另一人的意见"),
            **{"X-Forwarded-For": "192.0.2.7"},
        )  # fmt: skip
        rows = svc.comments()
    refused(third, 429, "提交次数过多")
    assert 590 <= int(third.headers["retry-after"]) <= 600
    assert "第三条意见" in form_fields(third.text)["text"]  # the form comes back, text kept
    assert other.status_code == 200  # another address is not limited
    assert len(rows) == 3 and len({r["client"] for r in rows}) == 2


def test_rate_limit_per_target(tmp_path: Path, client) -> None:
    limits = Limits(min_fill=0.3, per_target=((2, 3600),))
    with running(tmp_path, limits, proxy="127.0.0.1") as svc:
        answers = [
            post(
                client,
                svc.base,
                filled(client, svc.base, text=f"意见 {i}"),
                **{"X-Forwarded-For": f"192.0.2.{i + 1}"},
            )
            for i in range(3)
        ]
        # another clause of the same standard fills the same file: it counts the same
        same_file = post(
            client, svc.base,
            filled(client, svc.base, about={**CLAUSE, "anchor": "clause-6-1"}),
            **{"X-Forwarded-For": "192.0.2.9"},
        )  # fmt: skip
        elsewhere = post(
            client, svc.base,
            filled(client, svc.base, about={**CLAUSE, "id": "HNMZ/T 0102-2026"}),
            **{"X-Forwarded-For": "192.0.2.10"},
        )  # fmt: skip
    assert [a.status_code for a in answers[:2]] == [200, 200]
    refused(answers[2], 429, "这一对象")
    assert 3590 <= int(answers[2].headers["retry-after"]) <= 3600
    refused(same_file, 429, "这一对象")
    assert elsewhere.status_code == 200


def test_honeypot(tmp_path: Path, client) -> None:
    with running(tmp_path, QUICK) as svc:
        answer = post(client, svc.base, filled(client, svc.base, website="http://spam.example"))
        rows = svc.comments()
    refused(answer, 400, "请留空")
    assert rows == []


def test_too_fast_then_the_same_form_later(tmp_path: Path, client) -> None:
    with running(tmp_path) as svc:  # the default minimum fill time
        fields = open_form(client, svc.base, **CLAUSE)
        fields["text"] = "一秒内写完的意见"
        fast = post(client, svc.base, fields)
        refused(fast, 429, "提交太快")
        wait = int(fast.headers["retry-after"])
        assert 1 <= wait <= Limits().min_fill
        again = form_fields(fast.text)
        assert again["text"] == "一秒内写完的意见" and again["ts"] == fields["ts"]
        time.sleep(wait + 0.2)
        later = post(client, svc.base, again)
        rows = svc.comments()
    assert later.status_code == 200 and len(rows) == 1


def test_too_long(tmp_path: Path, client) -> None:
    limits = Limits(min_fill=0.3)
    with running(tmp_path, limits) as svc:
        text = post(client, svc.base, filled(client, svc.base, text="长" * (limits.max_text + 1)))
        body = post(client, svc.base, filled(client, svc.base, text="a" * (limits.max_body + 1)))
        name = post(client, svc.base, filled(client, svc.base, name="名" * 51))
        exact = post(client, svc.base, filled(client, svc.base, text="长" * limits.max_text))
        rows = svc.comments()
    refused(text, 413, f"意见最多 {limits.max_text} 字")
    refused(body, 413, "超过 32 KB")
    refused(name, 400, "称呼最多 50 字")
    assert exact.status_code == 200 and len(rows) == 1


def test_duplicate(tmp_path: Path, client) -> None:
    with running(tmp_path, QUICK) as svc:
        first = post(client, svc.base, filled(client, svc.base, text="同意。"))
        # the same words, spelled with other spaces and width, from the same address
        again = post(client, svc.base, filled(client, svc.base, text="  同意。 "))
        elsewhere = post(
            client,
            svc.base,
            filled(client, svc.base, text="同意。", about={**CLAUSE, "anchor": ""}),
        )
        rows = svc.comments()
    assert first.status_code == 200
    refused(again, 409, "同样的意见已经收到")
    assert elsewhere.status_code == 200  # the same words about another place are not one
    assert len(rows) == 2


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"token": None}, "缺少意见表的校验码"),
        ({"ts": None}, "缺少意见表的校验码"),
        ({"token": "0" * 64}, "校验码不正确"),
        ({"anchor": "clause-9-9"}, "校验码不正确"),  # a token is for one target
        ({"ts": "1"}, "校验码不正确"),  # and one moment: it cannot be back-dated
    ],
)
def test_missing_or_wrong_token(tmp_path: Path, client, change, words) -> None:
    with running(tmp_path, QUICK) as svc:
        fields = filled(client, svc.base)
        for key, value in change.items():
            if value is None:
                del fields[key]
            else:
                fields[key] = value
        answer = post(client, svc.base, fields)
        rows = svc.comments()
    refused(answer, 403, words)
    assert rows == []


def test_another_sites_page_cannot_post(tmp_path: Path, client) -> None:
    with running(tmp_path, QUICK) as svc:
        fields = filled(client, svc.base)
        foreign = post(client, svc.base, fields, Origin="https://evil.example.com")
        ours = post(client, svc.base, fields, Origin=SITE.rstrip("/"))
    refused(foreign, 403, "不是从本站的意见表提交的")
    assert ours.status_code == 200


def test_an_old_form_is_renewed(tmp_path: Path, client) -> None:
    with running(tmp_path, Limits(min_fill=0, max_age=1)) as svc:
        fields = open_form(client, svc.base, **CLAUSE)
        fields["text"] = "放了很久的意见"
        time.sleep(2.1)
        old = post(client, svc.base, fields)
        renewed = form_fields(old.text)
        again = post(client, svc.base, renewed)
    refused(old, 403, "已经过期")
    assert renewed["text"] == "放了很久的意见" and renewed["token"] != fields["token"]
    assert again.status_code == 200


def test_personal_data_is_refused_not_stored(tmp_path: Path, client) -> None:
    mobile, idno = "138 1234 5678", "430102199003077417"
    with running(tmp_path, QUICK) as svc:
        text = post(client, svc.base, filled(client, svc.base, text=f"请打 {mobile} 联系我"))
        ident = post(client, svc.base, filled(client, svc.base, text=f"我的身份证{idno}"))
        title = client.get(svc.base + "new", params={**CLAUSE, "title": f"张三 {idno}"})
        contact = post(client, svc.base, filled(client, svc.base, contact="13812345678"))
        rows = svc.comments()
    refused(text, 400, "手机号码（138****5678）")
    refused(ident, 400, "公民身份号码")
    assert form_fields(text.text)["text"] == f"请打 {mobile} 联系我"  # theirs to correct
    refused(title, 400, "链接中似乎有个人信息")
    # the contact field is for that, and is never published
    assert contact.status_code == 200 and len(rows) == 1
    assert not any(mobile.replace(" ", "") in r["text"] or idno in r["text"] for r in rows)


def test_markup_is_text(tmp_path: Path, client) -> None:
    markup = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    about = {**CLAUSE, "title": '<b onmouseover="alert(2)">标题</b>'}
    with running(tmp_path, QUICK) as svc:
        form = client.get(svc.base + "new", params=about)
        answer = post(client, svc.base, filled(client, svc.base, text=markup, about=about))
        too_fast = post(client, svc.base, {**form_fields(form.text), "text": markup})
        rows = svc.comments()
    for page in (form, answer, too_fast):
        assert "<script>" not in page.text and "<img" not in page.text and "<b " not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in answer.text
    assert "&lt;b onmouseover=" in form.text
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy  # no script runs, whatever the text holds
    # only the site's own pages may show the form over themselves
    assert f"frame-ancestors 'self' {DATA.rstrip('/')} {SITE.rstrip('/')};" in policy
    assert rows[0]["text"] == markup and rows[0]["title"] == about["title"]  # stored as text


def test_other_addresses_and_methods(tmp_path: Path, client) -> None:
    with running(tmp_path) as svc:
        missing = client.get(svc.base + "admin")
        put = client.put(svc.base + "new", content=b"x")
        json = client.post(svc.base + "new", json={"text": "x"})
    refused(missing, 404, "找不到这个页面")
    assert put.status_code == 405 and put.headers["allow"] == "GET, POST"
    refused(json, 400, "请通过本站的意见表提交意见")


def test_a_store_that_cannot_be_written_keeps_the_comment_with_its_writer(
    tmp_path: Path, client
) -> None:
    with running(tmp_path, QUICK) as svc:
        fields = filled(client, svc.base, text="库被占用时提交的意见")
        other = store.connect(svc.store)  # e.g. a long `stdhub feedback pull`
        other.execute("BEGIN EXCLUSIVE")
        try:
            busy = post(client, svc.base, fields)
        finally:
            other.execute("ROLLBACK")
            other.close()
        later = post(client, svc.base, form_fields(busy.text))
        rows = svc.comments()
    refused(busy, 503, "没有保存")
    assert busy.headers["retry-after"] == "30"
    assert form_fields(busy.text)["text"] == "库被占用时提交的意见"
    assert later.status_code == 200 and len(rows) == 1


def test_odd_requests_get_an_answer(tmp_path: Path, client) -> None:
    with running(tmp_path) as svc:
        many = client.get(svc.base + "new?" + "&".join(f"k{i}=v" for i in range(50)))
        head = client.head(svc.base + "new", params=CLAUSE)
        bad_utf8 = client.post(
            svc.base + "new",
            content=b"text=%ff%fe",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
    assert many.status_code == 200 and form_fields(many.text)["id"] == "网站"
    assert head.status_code == 200 and head.content == b""
    refused(bad_utf8, 403, "缺少意见表的校验码")


def test_a_store_that_cannot_be_opened_stops_the_service_at_once(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / store.DEFAULT_PATH).mkdir(parents=True)  # a folder where the file should be
    done = subprocess.run(
        [sys.executable, "-m", "stdhub.feedback.service", "--project", str(tmp_path),
         "--port", str(free_port())],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0 and "feedback.sqlite3" in done.stdout + done.stderr


def test_a_form_is_good_for_one_submission(tmp_path: Path, client) -> None:
    with running(tmp_path, QUICK) as svc:
        fields = filled(client, svc.base, text="第一次提交")
        first = post(client, svc.base, fields)
        # the same form again, with another text (no duplicate): refused, nothing stored
        again = post(client, svc.base, {**fields, "text": "用同一份表再提交一次"})
        # a fresh form opened in the same second is a form of its own
        other = post(client, svc.base, filled(client, svc.base, text="另一份表"))
        rows = svc.comments()
    assert first.status_code == 200
    refused(again, 409, "已经提交过")
    assert other.status_code == 200
    assert sorted(r["text"] for r in rows) == sorted(["第一次提交", "另一份表"])


def test_forwarded_for_is_believed_from_the_configured_proxy_only(tmp_path: Path, client) -> None:
    limits = Limits(min_fill=0.3, per_client=((1, 600),))
    with running(tmp_path, limits, proxy="192.0.2.1") as svc:  # a proxy that is not the test
        answers = [
            post(client, svc.base, filled(client, svc.base, text=f"意见 {i}"),
                 **{"X-Forwarded-For": f"198.51.100.{i}"})
            for i in range(2)
        ]  # fmt: skip
    assert [a.status_code for a in answers] == [200, 429]


@pytest.mark.parametrize(
    ("about", "words", "page"),
    [
        (CLAUSE, "标准 HNMZ/T 0101-2026 的“意见采纳情况”页面", "consultations/HNMZ-T-0101-2026/"),
        (
            {"id": "social-organizations/organizations", "title": "社会组织 · 社会组织名录 · 某协会",
             "anchor": "row-51430000MJJ123456X"},
            "数据集“社会组织”的“意见采纳情况”页面",
            "consultations/social-organizations/",
        ),
        ({}, "网站整体）”的“意见采纳情况”页面", "consultations/网站/"),
    ],
)  # fmt: skip
def test_the_confirmation_says_where_the_answer_will_appear(
    tmp_path: Path, client, about: dict, words: str, page: str
) -> None:
    with running(tmp_path, QUICK) as svc:
        answer = post(client, svc.base, filled(client, svc.base, about=about))
    assert answer.status_code == 200
    shown = visible_text(answer.text)
    assert words in shown and "标准页面" not in shown
    assert f'href="{SITE}{page}"' in answer.text
    assert "51430000MJJ123456X" not in shown  # a row is never named by its key
