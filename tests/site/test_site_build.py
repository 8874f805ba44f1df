"""The built site of the test standards: pages, data files, downloads, escaping, links, feeds.

Built once per session with `stdhub build` (real MkDocs + Material) into a temp project.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from site_helpers import FIXTURE, REPO, TODAY

from stdhub.config import Config, load_config
from stdhub.site.context import SiteContext
from stdhub.site.generate import generate

LOADED_LINKS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest"}


class _Links(HTMLParser):
    """Every link and resource address in a page, and every id."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link" and not LOADED_LINKS & set((dict(attrs).get("rel") or "").split()):
            return  # canonical, alternate: addresses, not requests
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, name, value))


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _pages(site: Path) -> list[Path]:
    """Every page but 404.html (whose addresses are absolute: it is served at any depth)."""
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def test_a_page_for_every_standard_code_list_and_detailed_list_item(
    fixture_site: Path, fixture_catalogue
) -> None:
    for std in fixture_catalogue.standards.values():
        slug = std.id.replace("/", "-").replace(" ", "-")
        assert (fixture_site / "standards" / slug / "index.html").is_file()
    for cl in fixture_catalogue.code_lists:
        assert (fixture_site / "codelists" / cl / "index.html").is_file()
    assert (fixture_site / "lists/power-list/QL-GF-901/index.html").is_file()
    # an item with nothing beyond its table row gets no page of its own
    assert not (fixture_site / "lists/power-list/QL-XK-902").exists()
    for page in (
        "index.html",
        "catalogue/index.html",
        "lists/index.html",
        "lists/policies/index.html",
        "consultations/index.html",
        "changes/index.html",
        "about/index.html",
        "contributing/index.html",
    ):
        assert (fixture_site / page).is_file(), page


def test_catalogue_as_data(fixture_site: Path) -> None:
    data = json.loads((fixture_site / "catalogue.json").read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in data["standards"]}
    assert data["count"] == len(rows) == 6
    assert rows["HNMZ/T 9004-2026"]["status"] == "即将实施"
    assert rows["HNMZ/T 9004-2026"]["status_recorded"] == "已批准"
    assert rows["HNMZ/T 9003-2026"]["status"] == "征求意见中"
    assert rows["HNMZ/T 9001-2020"]["status"] == "被代替"
    assert rows["HNMZ/T 9001-2025"]["latest"] and not rows["HNMZ/T 9001-2020"]["latest"]
    assert rows["HNMZ/T 9001-2025"]["url"] == "http://127.0.0.1:8000/standards/HNMZ-T-9001-2025/"
    with (fixture_site / "catalogue.csv").open(encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert len(table) == 6
    assert {
        "id",
        "title",
        "title_en",
        "kind",
        "level",
        "status",
        "issued",
        "effective",
        "url",
    } <= set(table[0])
    assert next(r for r in table if r["id"] == "HNMZ/T 9001-2025")["domains"] == "社会救助;信息化"


def test_catalogue_data_tells_what_replaced_what(fixture_site: Path) -> None:
    """A superseded standard's `withdrawn` is the day it was replaced (its 被代替 event),
    and both sides of a supersession are in the JSON and the CSV."""
    rows = {
        r["id"]: r
        for r in json.loads((fixture_site / "catalogue.json").read_text(encoding="utf-8"))[
            "standards"
        ]
    }
    old, new = rows["HNMZ/T 9001-2020"], rows["HNMZ/T 9001-2025"]
    assert (old["withdrawn"], old["ends_as"], old["superseded_by"], old["supersedes"]) == (
        "2025-05-01",
        "被代替",
        "HNMZ/T 9001-2025",
        [],
    )
    assert (new["withdrawn"], new["superseded_by"], new["supersedes"]) == (
        "",
        "",
        ["HNMZ/T 9001-2020"],
    )
    with (fixture_site / "catalogue.csv").open(encoding="utf-8") as f:
        table = {r["id"]: r for r in csv.DictReader(f)}
    assert table["HNMZ/T 9001-2020"]["withdrawn"] == "2025-05-01"
    assert table["HNMZ/T 9001-2020"]["superseded_by"] == "HNMZ/T 9001-2025"
    assert table["HNMZ/T 9001-2025"]["supersedes"] == "HNMZ/T 9001-2020"


def test_downloads_at_versioned_and_latest_addresses(fixture_site: Path) -> None:
    d = fixture_site / "downloads" / "HNMZ-T-9001"
    for name in (
        "standard.yaml",
        "standard.json",
        "schema.json",
        "tableschema.json",
        "codes/CL-HNMZ-9001X.csv",
        "codes/CL-HNMZ-9100.csv",
    ):
        assert (d / "2025" / name).read_bytes() == (d / "latest" / name).read_bytes(), name
    assert (d / "2020" / "codes" / "CL-HNMZ-9001.csv").is_file()
    assert not (d / "latest" / "codes" / "CL-HNMZ-9001.csv").exists()
    source = FIXTURE / "standards/data/HNMZ-T-9001-2020.yaml"
    assert (d / "2020" / "standard.yaml").read_text(encoding="utf-8") == source.read_text(
        encoding="utf-8"
    )
    assert (fixture_site / "downloads/codelists/CL-HNMZ-9100.csv").is_file()
    page = (fixture_site / "standards/HNMZ-T-9001-2025/index.html").read_text(encoding="utf-8")
    assert 'href="../../downloads/HNMZ-T-9001/2025/schema.json"' in page
    assert 'href="../../downloads/HNMZ-T-9001/latest/standard.json"' in page


def test_yaml_text_is_shown_as_text(fixture_site: Path) -> None:
    for page in _pages(fixture_site):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html, page
        assert not re.search(r"<img[^>]*onerror", html), page
        assert 'href="javascript:' not in html.lower(), page
        assert "<em>测试</em>" not in html, page
    page = (fixture_site / "standards/HNMZ-T-9003-2026/index.html").read_text(encoding="utf-8")
    assert "测试&lt;script&gt;alert" in page
    assert "<title>HNMZ/T 9003-2026 测试&lt;script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "人员 *配备*" in page  # Markdown in a title stays literal
    interp = (fixture_site / "standards/HNMZ-T-9001-2025/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;md&quot;)&lt;/script&gt;" in interp
    assert "<strong>新增</strong>" in interp  # Markdown itself works
    assert "cdn.example.com/x.png" not in re.findall(r"<img[^>]*>", interp).__str__()
    item = (fixture_site / "lists/policies/ZC-901/index.html").read_text(encoding="utf-8")
    assert 'href="#"' in item  # the javascript: address became a dead link


def test_no_request_leaves_the_site(fixture_site: Path) -> None:
    """Scripts, styles, fonts, images and frames all come from the site itself."""
    offenders = []
    for page in _pages(fixture_site):
        for tag, attr, value in _parse(page).refs:
            loads = tag in ("script", "img", "iframe", "source", "video", "audio") or (
                tag == "link" and attr == "href"
            )
            if loads and re.match(r"(?i)^(https?:)?//", value):
                offenders.append((page.relative_to(fixture_site), tag, value))
    for sheet in fixture_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", sheet.read_text("utf-8")):
            offenders.append((sheet.relative_to(fixture_site), "css", url))
    assert offenders == []
    home = (fixture_site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in home and "fonts.gstatic" not in home


def test_every_internal_link_resolves(fixture_site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in _pages(fixture_site):
        for tag, _, value in _parse(page).refs:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//") or (tag == "link" and not parts.path):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append((str(page.relative_to(fixture_site)), value))
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = _parse(target).ids
                if parts.fragment not in ids[target]:
                    broken.append((str(page.relative_to(fixture_site)), value))
    assert broken == []


def test_feedback_links_come_from_the_configured_template(
    fixture_site: Path, fixture_project: Path
) -> None:
    config = load_config(fixture_project)
    page = (fixture_site / "standards/HNMZ-T-9003-2026/index.html").read_text(encoding="utf-8")
    url = "http://127.0.0.1:8000/standards/HNMZ-T-9003-2026/"
    title = '测试<script>alert("title")</script>管理规范'
    expected = config.feedback_link(id="HNMZ/T 9003-2026", title=title, url=url, version="2026")
    hrefs = {v for _, a, v in _parse(fixture_site / "standards/HNMZ-T-9003-2026/index.html").refs}
    assert expected in hrefs
    clause = config.feedback_link(
        id="HNMZ/T 9003-2026", title=title, url=url, version="2026", anchor="clause-2-1"
    )
    assert clause in hrefs
    subject = parse_qs(urlsplit(clause).query)["subject"][0]
    assert subject == f"意见反馈：HNMZ/T 9003-2026 {title}（第 2.1 条）"
    assert "提出意见" in page and "2026-12-31" in page and "还有 33 天" in page
    elements = _parse(fixture_site / "standards/HNMZ-T-9001-2025/index.html").refs
    assert sum(1 for _, _, v in elements if v.startswith("mailto:") and "de-" in v) == 4
    items = _parse(fixture_site / "lists/power-list/index.html").refs
    # the two items, and the footer's link about the page (every page has one)
    assert sum(1 for _, _, v in items if v.startswith("mailto:")) == 2 + 1


def test_any_url_template_works(fixture_catalogue) -> None:
    config = Config(
        feedback="https://yj.example.gov.cn/new?id={id}&v={version}&t={title}&u={url}&a={anchor}"
    )
    ctx = SiteContext(fixture_catalogue, config, TODAY, REPO)
    files = generate(ctx, REPO / "docs").files
    page = files["standards/HNMZ-T-9003-2026/index.md"]
    links = re.findall(r'href="(https://yj\.example\.gov\.cn/new\?[^"]+)"', page)
    clause = next(link for link in links if "clause-2-2" in link)
    query = parse_qs(urlsplit(clause.replace("&amp;", "&")).query)
    assert query == {
        "id": ["HNMZ/T 9003-2026"],
        "v": ["2026"],
        "t": ['测试<script>alert("title")</script>管理规范'],
        "u": ["http://127.0.0.1:8000/standards/HNMZ-T-9003-2026/"],
        "a": ["clause-2-2"],
    }


def test_standard_page_parts(fixture_site: Path) -> None:
    page = (fixture_site / "standards/HNMZ-T-9001-2025/index.html").read_text(encoding="utf-8")
    for anchor in (
        "record",
        "interpretation",
        "implementation-plan",
        "data-elements",
        "code-lists",
        "changes",
        "relations",
        "history",
        "downloads",
        "de-QHDM",
    ):
        assert f'id="{anchor}"' in page, anchor
    assert '与 <a href="../HNMZ-T-9001-2020/">HNMZ/T 9001-2020</a> 相比' in page
    assert "<del>农村五保</del>" in page and "已停用" in page
    assert "个人信息" in page
    guide = (fixture_site / "standards/HNMZ-T-9002-2024/index.html").read_text(encoding="utf-8")
    for part in (
        "受理条件",
        "申请材料",
        "办理流程",
        "办理时限和收费",
        '监督投诉：<a href="tel:12345">12345</a> &lt;热线&gt;',  # tap to call; text escaped
        "QL-GF-901 测试临时救助",
        "被以下标准引用",
    ):
        assert part in guide, part
    old = (fixture_site / "standards/HNMZ-T-9002-2021/index.html").read_text(encoding="utf-8")
    assert "本标准已被代替" in old and "stdhub-badge--old" in old
    soon = (fixture_site / "standards/HNMZ-T-9004-2026/index.html").read_text(encoding="utf-8")
    assert (
        'stdhub-badge--upcoming" data-stdhub-live>即将实施' in soon
        and "2027-01-01</time> 起实施" in soon
    )


def test_consultations_and_changes(fixture_site: Path) -> None:
    page = (fixture_site / "consultations/index.html").read_text(encoding="utf-8")
    open_part, closed_part = page.split('id="closed"')
    assert "HNMZ/T 9003-2026" in open_part and "2026-12-31" in open_part
    assert "HNMZ/T 9004-2026" in closed_part and "收到意见 3 条，采纳 2 条。" in closed_part
    changes = (fixture_site / "changes/index.html").read_text(encoding="utf-8")
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', changes)
    assert dates == sorted(dates, reverse=True) and dates[0] == "2026-11-01"
    assert "2027-01-01" not in dates  # a planned event is not news yet
    feed = ET.parse(fixture_site / "changes/feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    updated = [e.find("a:updated", ns).text for e in entries]
    assert len(entries) == len(dates) and updated == sorted(updated, reverse=True)
    first = entries[0]
    assert first.find("a:title", ns).text.startswith("征求意见开始：HNMZ/T 9003-2026 测试<script>")
    assert first.find("a:link", ns).get("href").endswith("/standards/HNMZ-T-9003-2026/")


def test_pages_read_without_javascript(fixture_site: Path) -> None:
    """What the filters filter is all in the HTML; the scripts only hide rows."""
    page = (fixture_site / "catalogue/index.html").read_text(encoding="utf-8")
    assert page.count('<tr data-kind="') == 6
    assert "按类别" in page and "数据标准：2" in page  # the counts, shown without the script


def test_generated_markdown_never_lands_in_docs(fixture_project: Path) -> None:
    docs = sorted(
        p.relative_to(fixture_project / "docs") for p in (fixture_project / "docs").rglob("*")
    )
    assert docs == sorted(p.relative_to(REPO / "docs") for p in (REPO / "docs").rglob("*"))


@pytest.mark.parametrize("page", ["index.html", "standards/HNMZ-T-9001-2025/index.html"])
def test_chinese_interface(fixture_site: Path, page: str) -> None:
    html = (fixture_site / page).read_text(encoding="utf-8")
    assert '<html lang="zh"' in html and 'placeholder="搜索"' in html


def test_search_index(fixture_site: Path) -> None:
    """The standards' entries (made by stdhub) point at sections that exist; each standard
    is indexed once; the index is UTF-8, not escapes; what YAML says is escaped in it."""
    raw = (fixture_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert not re.search(r"\\u[4-9][0-9a-f]{3}", raw) and "测试" in raw  # UTF-8, not escapes
    docs = json.loads(raw)["docs"]
    ids: dict[Path, set[str]] = {}
    standard_tops = [
        d["location"] for d in docs if re.fullmatch(r"standards/[^/#]+/", d["location"])
    ]
    assert len(standard_tops) == len(set(standard_tops)) == 6
    for d in docs:
        page, _, anchor = d["location"].partition("#")
        target = fixture_site / page / "index.html"
        assert target.is_file(), d["location"]
        if anchor:
            ids.setdefault(target, _parse(target).ids)
            assert anchor in ids[target], d["location"]
    xss = next(d for d in docs if d["location"] == "standards/HNMZ-T-9003-2026/")
    assert "&lt;script&gt;" in xss["title"] and "<script" not in raw
    clause = next(d for d in docs if d["location"] == "standards/HNMZ-T-9003-2026/#clause-2-1")
    assert "护理员" in clause["text"] and "&lt;img" in clause["text"]
    guide = next(d for d in docs if d["location"] == "standards/HNMZ-T-9002-2024/")
    # keywords, then every phrase of the official name, then the number; on the top entry only
    assert guide["tags"][:2] == ["临时救助", "急难救助"] and guide["tags"][-1] == "HNMZ/T 9002-2024"
    title = re.sub(r"[^\u4e00-\u9fff]", "", guide["title"].split(" ", 1)[1])
    assert title in guide["tags"] and title[:2] in guide["tags"]
    assert not any("tags" in d for d in docs if d["location"].startswith(guide["location"] + "#"))
    old = [d for d in docs if d["location"].startswith("standards/HNMZ-T-9002-2021/")]
    assert old and all(d["boost"] < 1e-3 for d in old)  # 被代替: below every current page
    assert any(d["location"].startswith("lists/power-list/") for d in docs)  # the theme's own


def test_the_script_colours_a_derived_status_as_the_build_does() -> None:
    """stdhub.js re-derives statuses on the reader's day; its badge classes are the build's."""
    from stdhub.site.status import BADGES, LIVE

    script = (REPO / "src/stdhub/site/assets/stdhub.js").read_text(encoding="utf-8")
    table = re.search(r"var BADGES = \{(.*?)\};", script, re.S).group(1)
    assert dict(re.findall(r'"([^"]+)": "([^"]+)"', table)) == {s: BADGES[s] for s in LIVE}


def test_staff_documentation_is_out_of_the_public_help_and_search(fixture_site: Path) -> None:
    about = (fixture_site / "about/index.html").read_text(encoding="utf-8")
    # the 帮助 tab's pages, as the navigation beside the about page lists them
    nav = about[about.index('<nav class="md-nav md-nav--primary') : about.index("<article")]
    assert all(f'href="../{p}"' in nav for p in ("how-to-read/", "feedback/"))
    staff = (
        "contributing/",
        "handbook/",
        "deploy/",
        "datasette-settings/",
        "feedback-service/",
        "reference/cli/",
    )
    for page in staff:
        assert f"{page}" not in nav, page
        assert (fixture_site / page / "index.html").is_file(), page  # still published
        assert f'href="../{page}"' in about, page  # linked from the about page
    index = json.loads((fixture_site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert "about/" in locations and not locations & set(staff)
    assert "reference/problem-codes/" not in locations


def test_the_search_worker_is_corrected(fixture_site: Path) -> None:
    """search.WORKER_FIX applies to the theme installed (a theme upgrade that changes the
    worker fails here first, then in the Chromium search test)."""
    from stdhub.site.search import WORKER_FIX

    (worker,) = (fixture_site / "assets/javascripts/workers").glob("search.*.min.js")
    code = worker.read_text(encoding="utf-8")
    assert all(new in code and old not in code for old, new in WORKER_FIX)
