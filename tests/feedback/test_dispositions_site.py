"""Answered in public: the 意见采纳情况 pages, the counts per clause on a standard's page,
the change feed, and the staff review page — built for real (MkDocs, Chromium), with
markup in comments shown as text everywhere."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from fb_helpers import w004_project

from stdhub.feedback import review
from stdhub.project import load_catalogue
from stdhub.site import build_site

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
TODAY = dt.date(2026, 11, 28)
STD = "HNMZ/T 0001-2024"
SLUG = "HNMZ-T-0001-2024"
HOSTILE = (
    '<script>alert("x")</script> <img src=x onerror=alert(1)> **粗体** '
    "[点我](javascript:alert(1)) {{ 7*7 }} &amp; # 标题"
)


def _comment(n: int, **over: object) -> dict:
    return {
        "id": f"c-00000000000000{n:02x}",
        "received": f"2023-10-{10 + n:02d}T02:00:00Z",
        "about": STD,
        "anchor": "clause-1",
        "text": f"第 {n} 条意见",
        "disposition": "采纳",
        "reason": None,
        "change": "第 1 章已修改。",
        "answered": "2024-01-10",
        **over,
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("answered")
    w004_project(root)
    comments = [
        _comment(1, text=HOSTILE, disposition="不采纳", reason=HOSTILE, change=None),
        _comment(
            2, anchor="", disposition="部分采纳", reason="理由<b>二</b>", change="修改<i>二</i>"
        ),
        _comment(3, disposition="已答复", reason="见第 1 章。", change=None),
        _comment(4, received="2026-11-20T02:00:00Z", disposition=None, change=None, answered=None),
    ]
    (root / "feedback").mkdir()
    (root / "feedback" / f"{SLUG}.yaml").write_text(
        yaml.safe_dump({"about": STD, "comments": comments}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    site_wide = _comment(
        9,
        about="网站",
        anchor="",
        text="手机上表格太宽。",
        disposition="采纳",
        change="已改为卡片。",
    )
    (root / "feedback" / "网站.yaml").write_text(
        yaml.safe_dump({"about": "网站", "comments": [site_wide]}, allow_unicode=True),
        encoding="utf-8",
    )
    catalogue, report = load_catalogue(root / "standards", today=TODAY, base=root)
    assert report.ok, report.as_text()
    build_site(catalogue, root, root / "build" / "site", today=TODAY)
    return root


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    return project / "build" / "site"


def _html(site: Path, address: str) -> str:
    return (site / address / "index.html").read_text(encoding="utf-8")


def test_consultations_page_sums_the_answers_and_links_them(site: Path) -> None:
    html = _html(site, "consultations")
    assert "网上收到意见 4 条：部分采纳 1 条，不采纳 1 条，已答复 1 条，正在处理 1 条" in html
    assert f'href="{SLUG}/"' in html
    # the hand-written fallback sentence of a standard without files is not claimed here
    assert "意见处理结果未公布" not in html.split(STD)[1].split("</tr>")[0]


def test_outcome_page_lists_each_answered_comment_with_its_answer(site: Path) -> None:
    html = _html(site, f"consultations/{SLUG}")
    for n in (1, 2, 3):
        assert f'id="c-00000000000000{n:02x}"' in html
    assert 'id="c-0000000000000004"' not in html  # waiting: not published yet
    assert "另有 1 条意见正在处理" in html
    assert "不采纳" in html and "部分采纳" in html and "已答复" in html
    assert "修改&lt;i&gt;二&lt;/i&gt;" in html and "<i>二</i>" not in html
    assert f'href="../../standards/{SLUG}/#clause-1"' in html


def test_markup_in_comments_is_text_everywhere(site: Path) -> None:
    pages = {
        "outcome": _html(site, f"consultations/{SLUG}"),
        "changes": _html(site, "changes"),
        "standard": _html(site, f"standards/{SLUG}"),
    }
    outcome = pages["outcome"]
    assert "&lt;script&gt;alert(" in outcome
    assert "&lt;img src=x onerror=alert(1)&gt;" in outcome
    assert "{{ 7*7 }}" in outcome and "49" not in outcome.split('id="c-0000000000000001"')[1][:400]
    for html in pages.values():
        assert '<script>alert("x")' not in html and "<img src=x" not in html
        assert 'href="javascript:' not in html and "<strong>粗体</strong>" not in html
    feed = (site / "changes" / "feed.xml").read_bytes()
    assert b"<script>" not in feed
    ET.fromstring(feed)  # well-formed


def test_standard_page_counts_comments_per_clause(site: Path) -> None:
    html = _html(site, f"standards/{SLUG}")
    assert 'id="public-comments"' in html
    assert "第 1 条 范围" in html and "收到意见 3 条，已答复 2 条" in html
    assert "全文" in html and "收到意见 1 条，已答复 1 条" in html
    assert f'href="../../consultations/{SLUG}/#c-0000000000000001"' in html


def test_change_feed_announces_the_published_outcome(site: Path) -> None:
    html = _html(site, "changes")
    assert "意见处理结果公布" in html and f'href="../consultations/{SLUG}/"' in html
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring((site / "changes" / "feed.xml").read_bytes())
    entries = [
        e
        for e in feed.findall("a:entry", ns)
        if "意见处理结果公布" in e.findtext("a:title", "", ns)
    ]
    [entry] = entries
    assert entry.find("a:link", ns).get("href").endswith(f"/consultations/{SLUG}/")
    assert entry.findtext("a:updated", "", ns).startswith("2024-01-10")
    assert "公开 3 条意见的处理情况" in entry.findtext("a:summary", "", ns)


def test_review_page_is_for_staff_only(site: Path) -> None:
    html = _html(site, "review")
    assert "标准复审" in html and STD in html
    home = _html(site, "")
    assert 'href="review/"' not in home  # not in the navigation
    rows = list(csv.DictReader(io.StringIO((site / "review" / "due.csv").read_text())))
    assert sorted(r["id"] for r in rows) == ["HNMZ/T 0001-2024", "HNMZ/T 0002-2024"]
    data = json.loads((site / "review" / "due.json").read_text())
    assert data["review_years"] == review.REVIEW_YEARS
    row = next(r for r in data["standards"] if r["id"] == STD)
    assert row["due"] is False  # in force since 2024-03-01
    assert row["comments"] == 1 and row["by_clause"] == {"1": 1}  # only since it took effect


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    """The built site over real HTTP on a free loopback port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("width", [1280, 390])
def test_outcome_page_in_a_browser(browser, served: str, width: int) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{served}consultations/{SLUG}/")
    cell = page.locator("#c-0000000000000001 td").first
    assert HOSTILE in cell.inner_text()
    assert page.locator("#c-0000000000000001 script, #c-0000000000000001 img").count() == 0
    assert dialogs == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("#c-0000000000000002").is_visible()
    context.close()


def test_review_due_by_years_and_by_comments(tmp_path: Path) -> None:
    """Five years after taking effect (or the last 复审) a standard is due; a 复审 event
    restarts the count; REVIEW_COMMENTS comments since then make it due sooner."""
    shutil.copytree(TESTS / "cases" / "W004" / "standards", tmp_path / "standards")
    cat, report = load_catalogue(tmp_path / "standards", today=TODAY, base=tmp_path)
    std = cat.standards[STD]
    assert review.assess(cat, std, dt.date(2029, 2, 28)).reasons == []
    due = review.assess(cat, std, dt.date(2029, 3, 1))
    assert due.due and due.reasons == ["实施已满 5 年"] and due.next_due == "2029-03-01"

    path = tmp_path / "standards" / "management" / f"{SLUG}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "  - {date: 2028-06-01, event: 复审, note: 继续有效。}\n", encoding="utf-8"
    )
    comments = [
        {
            "id": f"c-0000000000000{n:03x}",
            "received": f"2028-07-{n:02d}T00:00:00Z",
            "about": STD,
            "anchor": "clause-1" if n % 2 else "",
            "text": f"实施中发现的问题 {n}",
        }
        for n in range(1, review.REVIEW_COMMENTS + 1)
    ]
    (tmp_path / "feedback").mkdir()
    (tmp_path / "feedback" / f"{SLUG}.yaml").write_text(
        yaml.safe_dump({"about": STD, "comments": comments[:-1]}, allow_unicode=True)
    )
    cat, report = load_catalogue(tmp_path / "standards", today=TODAY, base=tmp_path)
    assert report.ok, report.as_text()
    row = review.assess(cat, cat.standards[STD], dt.date(2029, 3, 1))
    assert row.last_review == "2028-06-01" and row.next_due == "2033-06-01"
    assert not row.due and row.comments == review.REVIEW_COMMENTS - 1
    (tmp_path / "feedback" / f"{SLUG}.yaml").write_text(
        yaml.safe_dump({"about": STD, "comments": comments}, allow_unicode=True)
    )
    cat, _ = load_catalogue(tmp_path / "standards", today=TODAY, base=tmp_path)
    row = review.assess(cat, cat.standards[STD], dt.date(2029, 3, 1))
    assert row.due and row.reasons == [f"2028-06-01 以来收到意见 {review.REVIEW_COMMENTS} 条"]
    assert row.by_clause == {"1": 5, "全文": 5}
    listing = review.review_list(cat, dt.date(2029, 3, 1))
    assert [(d.id, d.reasons) for d in listing] == [
        (STD, row.reasons),
        ("HNMZ/T 0002-2024", ["实施已满 5 年"]),  # due ones first, most comments first
    ]
    # the department reviews its own standards, not the national ones it adopts
    national = tmp_path / "standards" / "data" / "HNMZ-T-0002-2024.yaml"
    national.write_text(national.read_text().replace("本单位规范", "国家标准"))
    cat, _ = load_catalogue(tmp_path / "standards", today=TODAY, base=tmp_path)
    assert [d.id for d in review.review_list(cat, dt.date(2029, 3, 1))] == [STD]


def test_each_clause_says_how_many_comments_it_received(site: Path) -> None:
    html = _html(site, f"standards/{SLUG}")
    clause = html.split('id="clause-1"', 1)[1].split("<h", 1)[0]
    assert "本条收到意见 3 条，已答复 2 条" in clause
    assert f'href="../../consultations/{SLUG}/#c-0000000000000001"' in clause


def test_pulled_comment_answered_and_built_shows_on_its_page(tmp_path: Path) -> None:
    """The staff path end to end: a comment in the store, `stdhub feedback pull`, a
    disposition typed into the file, a build: the 意见采纳情况 page shows it, its contact never."""
    from click.testing import CliRunner

    from stdhub.cli import cli
    from stdhub.feedback import store

    root = tmp_path / "p"
    shutil.copytree(TESTS / "cases" / "W004" / "standards", root / "standards")
    shutil.copytree(REPO / "docs", root / "docs")
    hook = REPO / "src" / "stdhub" / "site" / "mkdocs_hook.py"
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace("src/stdhub/site/mkdocs_hook.py", str(hook)), encoding="utf-8"
    )
    conn = store.connect(root / store.DEFAULT_PATH)
    c = store.add(
        conn,
        about=STD,
        anchor="clause-1",
        text="征求意见期太短，<b>建议</b>延长。",
        contact="someone@example.org",
        name="李某",
        received="2023-10-15T03:00:00Z",
    )
    assert CliRunner().invoke(cli, ["feedback", "pull", "--project", str(root)]).exit_code == 0
    path = root / "feedback" / f"{SLUG}.yaml"
    text = path.read_text(encoding="utf-8")
    # before an answer the closed consultation blocks the build (X023)
    catalogue, report = load_catalogue(root / "standards", today=TODAY, base=root)
    assert [p.code for p in report.errors] == ["X023"]
    path.write_text(
        text.replace(
            "  disposition:\n  reason:\n",
            "  disposition: 不采纳\n  reason: 三十日是本厅规程规定的期限。\n",
        ).replace("  answered:\n", "  answered: 2024-01-10\n"),
        encoding="utf-8",
    )
    catalogue, report = load_catalogue(root / "standards", today=TODAY, base=root)
    assert report.ok, report.as_text()
    build_site(catalogue, root, root / "build" / "site", today=TODAY)
    html = _html(root / "build" / "site", f"consultations/{SLUG}")
    row = html.split(f'id="{c.id}"', 1)[1].split("</tr>", 1)[0]
    assert "征求意见期太短，&lt;b&gt;建议&lt;/b&gt;延长。" in row
    assert "不采纳" in row and "三十日是本厅规程规定的期限。" in row
    for page in (root / "build" / "site").rglob("*.html"):
        body = page.read_text(encoding="utf-8")
        assert "someone@example.org" not in body and "李某" not in body


def test_comments_on_the_site_as_a_whole_are_answered_too(site: Path) -> None:
    index = _html(site, "consultations")
    assert "对数据和目录的意见" in index
    assert 'href="网站/"' in index or 'href="%E7%BD%91%E7%AB%99/"' in index
    page = _html(site, "consultations/网站")
    assert "手机上表格太宽。" in page and "已改为卡片。" in page
    assert "opendata/" not in page.split('id="comments"')[0]  # no page of its own to link
