"""What a YAML value can and cannot become on a page: escaping, Markdown without HTML."""

from __future__ import annotations

import re

import markdown
import pytest
import yaml
from site_helpers import REPO, TODAY

from stdhub.addresses import relative
from stdhub.config import Config
from stdhub.site.context import SiteContext
from stdhub.site.generate import generate
from stdhub.site.mdext import CLOSE, OPEN, finish
from stdhub.site.render import front_matter, heading, inline_diff, safe_url, tel
from stdhub.site.render import markdown as md
from stdhub.site.search import segment


def test_markdown_fields_allow_no_raw_html() -> None:
    out = md('**粗体** <script>alert(1)</script> <b onclick="x">b</b>')
    assert "<strong>粗体</strong>" in out
    assert "<script>" not in out and "<b " not in out
    assert "&lt;script&gt;" in out


def test_markdown_fields_drop_images_and_unsafe_links() -> None:
    out = md(
        "![x](https://cdn.example.com/x.png) [a](javascript:alert(1)) [b](https://example.gov.cn/)"
    )
    assert "<img" not in out
    assert 'href="javascript' not in out  # left as text, not a link
    assert '<a href="https://example.gov.cn/">b</a>' in out


def test_markdown_headings_sit_below_the_page_headings() -> None:
    assert "<h3>标题</h3>" in md("# 标题")
    assert "<h6>" in md("###### 深")


def test_heading_text_survives_python_markdown_literally() -> None:
    """A title goes into a Markdown heading of the generated page: it must come out as text."""
    title = '测试<script>alert("t")</script> *不是强调* [不是链接](x) #1 {#id} a_b'
    html = markdown.markdown(f"## {heading(title)} {{#x}}", extensions=["attr_list"])
    assert "<script>" not in html and "<em>" not in html and "<a " not in html
    assert "&lt;script&gt;" in html
    assert "*不是强调*" in html and "[不是链接](x)" in html and "{#id}" in html
    assert 'id="x"' in html


def test_front_matter_escapes_what_the_theme_prints_raw() -> None:
    text = front_matter(
        title='<script>x</script>"\n: #',
        description="a<b",
        hide=["toc"],
        search={"exclude": True},
        empty="",
    )
    assert text.startswith("---\n") and text.endswith("---\n")
    meta = yaml.safe_load(text.strip("-\n"))
    assert meta == {
        "title": "&lt;script&gt;x&lt;/script&gt;&quot;\n: #",
        "description": "a&lt;b",
        "hide": ["toc"],
        "search": {"exclude": True},
    }


def test_inline_diff_marks_changes_and_escapes() -> None:
    out = inline_diff("每 10 人配 1 名<护理员>", "每 8 人配 1 名<护理员>")
    assert "<del>10</del><ins>8</ins>" in out
    assert "&lt;护理员&gt;" in out


def test_inline_diff_folds_short_runs_into_one_change() -> None:
    out = inline_diff("生活不能自理的老年人", "能力等级为重度失能的老年人")
    assert out.count("<del>") == 1 and out.count("<ins>") == 1


def test_only_web_and_mail_addresses_become_links() -> None:
    assert safe_url("https://a.example/x") == "https://a.example/x"
    assert safe_url("mailto:a@b.cn") == "mailto:a@b.cn"
    assert safe_url("javascript:alert(1)") == "#"
    assert safe_url(" JavaScript:alert(1)") == "#"
    assert safe_url(None) == "#"


def test_relative_links_between_pages() -> None:
    assert relative("catalogue/", "standards/GB-T-1-2000/") == "../../catalogue/"
    assert relative("", "standards/X/") == "../../"
    assert relative("catalogue/", "") == "catalogue/"
    assert (
        relative("downloads/a/1/standard.yaml", "standards/a/")
        == "../../downloads/a/1/standard.yaml"
    )
    assert relative("standards/X/", "standards/X/") == "./"


def test_stashed_html_renders_as_markdown_would_render_it(fixture_catalogue) -> None:
    """mdext only skips re-parsing (and finishes the page for phones): the page comes out
    the same with or without it."""
    files = generate(SiteContext(fixture_catalogue, Config(), TODAY, REPO), REPO / "docs").files
    for path in (
        "standards/HNMZ-T-9001-2025/index.md",
        "standards/HNMZ-T-9002-2024/index.md",
        "catalogue/index.md",
        "lists/power-list/index.md",
    ):
        text = files[path].split("---\n", 2)[2]
        assert OPEN in text
        exts = ["attr_list", "admonition", "tables", "toc"]
        plain = markdown.markdown(text, extensions=exts)
        fast = markdown.markdown(text, extensions=["stdhub.site.mdext", *exts])

        def norm(html: str) -> str:
            html = html.replace(OPEN, "").replace(CLOSE, "")
            return re.sub(r"\s+", " ", html).replace("> <", "><").strip()

        assert norm(fast) == norm(finish(plain)), path
        assert "stdhub:html" not in fast


@pytest.mark.parametrize(
    "text",
    [
        "最低生活保障审核确认办事指南",
        "每 10 人配备 1 名护理员。GB/T 2261.1-2003 规定了人的性别代码",
        "申请人具有本省户籍，或者持有本省居住证并在经常居住地申请",
        "T恤 abc中文def 3.5元",
    ],
)
def test_our_segmentation_is_the_search_plugins(text: str) -> None:
    """Entries we make must tokenise as the theme's would, or queries would miss them."""
    from material.plugins.search.plugin import SearchIndex

    assert segment(text) == SearchIndex()._segment_chinese(text)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("0731-8000 2202", '<a href="tel:0731-80002202">0731-8000 2202</a>'),
        ("12345 热线", '<a href="tel:12345">12345</a> 热线'),
        ("<b>13812345678</b>", '&lt;b&gt;<a href="tel:13812345678">13812345678</a>&lt;/b&gt;'),
        ("2024-01-01 第 123456 号", "2024-01-01 第 123456 号"),  # dates and other numbers stay
    ],
)
def test_phone_numbers_become_tel_links(text: str, html: str) -> None:
    assert str(tel(text)) == html
