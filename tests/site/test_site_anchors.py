"""Hand-written pages' Chinese headings keep their anchors: the id is the heading's own text,
so adding a heading above another does not move its link (`_2` became `_3` before)."""

from __future__ import annotations

import re
from pathlib import Path

from site_helpers import REPO

HEADING = re.compile(r'<h([2-4]) id="([^"]+)"[^>]*>(.*?)<a class="headerlink"', re.S)


def _handwritten(site: Path) -> list[Path]:
    return [
        site / p.relative_to(REPO / "docs").with_suffix("") / "index.html"
        for p in (REPO / "docs").glob("*.md")
        if not p.name.startswith("_")
    ]


def test_chinese_headings_are_anchored_by_their_text(shipped_site: Path) -> None:
    checked = 0
    for page in _handwritten(shipped_site):
        for _, anchor, text in HEADING.findall(page.read_text(encoding="utf-8")):
            assert not re.fullmatch(r"_\d+", anchor), (page, anchor)
            if anchor.isascii():
                continue  # an id the page gives itself (`{#draft}`): stable by construction
            if re.search(r"[\u4e00-\u9fff]", text):
                first = re.search(r"[\u4e00-\u9fff]+", text).group(0)
                assert first in anchor, (page, anchor, text)
                checked += 1
    assert checked > 10
