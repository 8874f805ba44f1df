"""A resident without a mail client comments from a clause of a standard, a dataset page
and a Datasette row, in real Chromium, on the service `stdhub serve` starts; the comments
are in the store with what they are about; personal data in one never reaches `build/`."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fb_helpers import serve, stop

from stdhub import atomic
from stdhub.feedback import store

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "publish"))  # the project copy `stdhub serve` tests use
import serve_helpers  # noqa: E402

TODAY = serve_helpers.TODAY
STANDARD = "standards/HNMZ-T-0003-2024/"
DATASET = "opendata/social-assistance-monthly/"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = serve_helpers.copy_project(tmp_path_factory.mktemp("fb-served"))
    running = serve(root, TODAY.isoformat())
    yield running
    stop(running)


def rows(served) -> list[dict]:
    conn = sqlite3.connect(served.root / store.DEFAULT_PATH)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM comments ORDER BY received, id")]
    finally:
        conn.close()


def submit(page, text: str, shots: Path | None = None, name: str = "", frame=None) -> None:
    """On the form (a page, or the frame of the dialog over one): write, wait as a person
    would (the minimum fill time), send."""
    form = frame or page
    form.locator("textarea#text").fill(text)
    if shots:
        page.screenshot(path=str(shots / f"{name}-form.png"), full_page=frame is None)
    page.wait_for_timeout(3300)
    form.locator("button[type=submit]").click()
    form.locator("h1", has_text="您的意见已收到").wait_for()
    if shots:
        page.screenshot(path=str(shots / f"{name}-sent.png"), full_page=frame is None)


@pytest.fixture
def no_script(browser):
    """A page of a browser with JavaScript switched off."""
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_serve_prints_the_feedback_address(served) -> None:
    feedback = served.address("feedback")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/feedback/", feedback)
    port = int(served.address("site").rsplit(":", 1)[1].strip("/"))
    assert feedback == f"http://127.0.0.1:{port + 2}/feedback/"
    # the site was built for it: every 意见反馈 link opens the form, none is mailto:
    html = httpx.get(served.address("site") + STANDARD).text
    assert "mailto:" not in html and f"{feedback}new?id=" in html


def test_from_a_clause_of_a_standard_on_the_page(served, page, screenshots) -> None:
    """With the site's script the form opens in a dialog over the standard's page."""
    site = served.address("site")
    page.goto(site + STANDARD)
    page.locator("a", has_text="对本条提出意见").nth(2).click()
    dialog = page.locator("dialog.stdhub-feedback-dialog")
    dialog.wait_for()
    assert page.url == site + STANDARD  # still on the standard's page
    frame = page.frame_locator("dialog.stdhub-feedback-dialog iframe")
    about = frame.locator("dl.about").inner_text()
    assert "HNMZ/T 0003-2024 养老机构服务质量规范" in about
    clause = re.search(r"第 ([0-9.]+) 条", about)[1]
    assert "clause-" not in about and "2024 2024" not in about
    submit(page, "建议明确<b>夜间</b>巡查的频次。", screenshots, "feedback-1280-dialog", frame)
    assert "建议明确<b>夜间</b>巡查的频次。" in frame.locator(".sent").inner_text()  # as text
    anchor = "clause-" + clause.replace(".", "-")
    comment = rows(served)[-1]
    assert (comment["about"], comment["version"], comment["anchor"]) == (
        "HNMZ/T 0003-2024", "2024", anchor
    )  # fmt: skip
    assert comment["title"] == "养老机构服务质量规范" and comment["page"] == site + STANDARD
    assert comment["text"] == "建议明确<b>夜间</b>巡查的频次。"
    frame.locator("text=返回原页面").click()  # the whole window, to the clause
    page.wait_for_url(f"{site}{STANDARD}#{anchor}")
    dialog.wait_for(state="detached")  # and the dialog closes


def test_from_a_dataset_page_on_a_phone_without_script(served, browser, screenshots) -> None:
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        page.goto(served.address("site") + DATASET)
        page.locator("a.stdhub-feedback").first.click()
        page.wait_for_url(served.address("feedback") + "new?*")  # the form's own page
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390  # nothing wider than the phone
        submit(page, "希望按月提供县级分项数据。", screenshots, "feedback-390")
    finally:
        context.close()
    comment = rows(served)[-1]
    assert comment["about"] == "social-assistance-monthly" and comment["anchor"] == ""
    assert comment["page"] == served.address("site") + DATASET
    assert comment["version"] and comment["title"]  # the dataset's, as its page shows them


def test_from_a_datasette_row_named_by_its_label(served, page, screenshots) -> None:
    data = served.address("data")
    found = httpx.get(
        data + "social-organizations/organizations.json",
        params={"_size": 1, "_shape": "objects"},
    ).json()
    key = found["primary_keys"][0]
    row = found["rows"][0]
    page.goto(f"{data}social-organizations/organizations/{row[key]}")
    page.locator("a.stdhub-feedback-bar").click()
    page.wait_for_url(served.address("feedback") + "new?*")
    about = page.locator("dl.about dd").first.inner_text()  # what it is about, in words
    assert row["org_name"] in about and row[key] not in about  # its name, not its code
    submit(page, "这家机构的地址已经变更。", screenshots, "feedback-1280")
    comment = rows(served)[-1]
    assert comment["about"] == "social-organizations/organizations"
    assert comment["anchor"] == f"row-{row[key]}" and row["org_name"] in comment["title"]


def test_personal_data_never_reaches_build(served, no_script) -> None:
    idno, mobile, name = "430102199003077417", "13912345678", "李四清"
    site, page = served.address("site"), no_script
    page.goto(site + STANDARD)
    page.locator("a.stdhub-feedback").first.click()
    page.wait_for_selector("textarea#text")
    page.fill("textarea#text", f"我是{name}，身份证 {idno}，请回电")
    page.fill("input#name", name)
    page.fill("input#contact", mobile)
    page.wait_for_timeout(3300)
    page.click("button[type=submit]")
    page.wait_for_selector("text=请删去个人信息")  # refused: asks to take it out
    page.fill("textarea#text", "请回电，号码写在联系方式里。")
    page.wait_for_timeout(300)
    page.click("button[type=submit]")
    page.wait_for_selector("text=您的意见已收到")
    stored = rows(served)
    assert not any(idno in r["text"] for r in stored)
    assert stored[-1]["contact"] == mobile and stored[-1]["name"] == name  # private, kept
    root = served.root
    args = ["--project", str(root)]
    pull = subprocess.run(
        [sys.executable, "-m", "stdhub", "feedback", "pull", *args],
        capture_output=True, text=True, cwd=root,
    )  # fmt: skip
    if pull.returncode == 2 and "No such command" in pull.stderr:
        pass  # before the staff side (`stdhub feedback pull`) exists: the build alone
    else:
        assert pull.returncode == 0, pull.stderr
    build = subprocess.run(
        [sys.executable, "-m", "stdhub", "build", *args, "--today", TODAY.isoformat()],
        capture_output=True, text=True, cwd=root,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-3000:]
    leaks, published = [], [root / "build" / name for name in atomic.NAMES]
    for path in (p for folder in published for p in folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            for secret in (idno, mobile, name):
                if secret.encode() in data:
                    leaks.append((str(path.relative_to(root)), secret))
    assert leaks == []
    for folder in ("feedback", "build"):
        for path in (root / folder).rglob("*.yaml") if (root / folder).exists() else ():
            text = path.read_text(encoding="utf-8")
            assert idno not in text and mobile not in text and name not in text, path
