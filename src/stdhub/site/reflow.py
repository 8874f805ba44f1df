"""Tables that reflow on a phone: each cell labelled with its column's header.

A table inside an element of class `stdhub-reflow` (put it on the table's wrapper, e.g.
`<div class="md-typeset__scrollwrap stdhub-reflow">`, so the table itself keeps the theme's
styling) is shown on a narrow screen as one card per row, each cell under its column's
name (`assets/stdhub.css`). The names come from here: `label_cells` copies the text of each
`<thead>` header cell into a `data-label` attribute of the cells of its column, so the
page needs no script. A cell that already has `data-label` keeps it (`data-label=""`: a
cell shown without a label, e.g. the title of a card).
"""

from __future__ import annotations

import html
import re

MARK = "stdhub-reflow"
_BLOCK = re.compile(r'class="[^"]*\bstdhub-reflow\b[^"]*".*?</table>', re.S)
_HEAD = re.compile(r"<thead\b.*?</thead>", re.S)
_HEADER = re.compile(r"<th\b([^>]*)>(.*?)</th>", re.S)
_BODY_ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
_CELL = re.compile(r"<(td|th)\b([^>]*)>")
_SPAN = re.compile(r'\bcolspan="?(\d+)')
_TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    """The visible text of an HTML fragment (a visually hidden header counts: it names the
    column for screen readers, and on a card it names the cell)."""
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def _label_rows(table: str) -> str:
    head = _HEAD.search(table)
    if not head:
        return table
    labels: list[str] = []
    for attrs, content in _HEADER.findall(head.group(0)):
        span = _SPAN.search(attrs)
        labels += [_text(content)] * (int(span.group(1)) if span else 1)

    def row(m: re.Match[str]) -> str:
        column = 0

        def cell(c: re.Match[str]) -> str:
            nonlocal column
            tag, attrs = c.group(1), c.group(2)
            label = labels[column] if column < len(labels) else ""
            span = _SPAN.search(attrs)
            column += int(span.group(1)) if span else 1
            if "data-label=" in attrs or not label:
                return c.group(0)
            return f'<{tag}{attrs} data-label="{html.escape(label)}">'

        return _CELL.sub(cell, m.group(0))

    body_start = head.end()
    return table[:body_start] + _BODY_ROW.sub(row, table[body_start:])


def label_cells(page: str) -> str:
    """`page` (HTML) with the body cells of every table under a `stdhub-reflow` element
    labelled by their column headers; unchanged if there is none."""
    if MARK not in page:
        return page
    return _BLOCK.sub(lambda m: _label_rows(m.group(0)), page)
