"""A Python-Markdown extension that stashes the generated pages' HTML blocks unparsed.

The generated pages are mostly HTML made (and escaped) by our templates. Python-Markdown
and MkDocs would each parse every tag of it again with Python's HTMLParser, which is
most of a 2,000-standard build. `mark_html_blocks` wraps each HTML block in two marker
comments; this extension hands the block to Python-Markdown's HTML stash as it is.
Without the extension the markers are plain HTML comments and the page still renders.
Once the HTML is whole, `finish` adds what a phone needs: the cells of tables that reflow
are labelled (`reflow.label_cells`), and the contents the toc extension put in place of a
`[TOC]` marker is folded into a closed `<details>` ("本页目录"). Enabled in mkdocs.yml as
`markdown_extensions: [stdhub.site.mdext]`.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from stdhub.site.reflow import label_cells

OPEN = "<!-- stdhub:html -->"
CLOSE = "<!-- /stdhub:html -->"
# the toc extension's contents (it has no <div> inside)
_CONTENTS = re.compile(r'<div class="toc">.*?</div>', re.S)


def mark_html_blocks(text: str) -> str:
    """Wrap every blank-line-separated block that starts with `<` in the marker comments.

    The templates never put a blank line inside an HTML block (see render.py)."""
    blocks = text.split("\n\n")
    return "\n\n".join(
        f"{OPEN}\n{b.strip(chr(10))}\n{CLOSE}" if b.lstrip("\n").startswith("<") else b
        for b in blocks
    )


class _StashMarked(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        block: list[str] | None = None
        for line in lines:
            if block is None:
                if line == OPEN:
                    block = []
                else:
                    out.append(line)
            elif line == CLOSE:
                out.extend(["", self.md.htmlStash.store("\n".join(block)), ""])
                block = None
            else:
                block.append(line)
        if block is not None:  # no closing marker: leave the text to the usual parsers
            out.extend([OPEN, *block])
        return out


def finish(page: str) -> str:
    """`page` (HTML) with its reflowing tables labelled and its in-page contents folded."""
    folded = _CONTENTS.sub(
        lambda m: (
            '<details class="abstract stdhub-toc" data-search-exclude>'
            f"<summary>本页目录</summary>{m.group(0)}</details>"
        ),
        page,
        count=1,
    )
    return label_cells(folded)


class _Finish(Postprocessor):
    def run(self, text: str) -> str:
        return finish(text)


class StashMarkedHtml(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # after whitespace normalisation (30), before MkDocs' (21) and Markdown's (20) HTML parsers
        md.preprocessors.register(_StashMarked(md), "stdhub_stash_html", 25)
        # after the raw HTML is back in the page (30) and the last unescaping (10)
        md.postprocessors.register(_Finish(md), "stdhub_finish", 5)


def makeExtension(**kwargs: object) -> StashMarkedHtml:
    return StashMarkedHtml(**kwargs)
