"""Chinese full-text search on SQLite FTS5: the text is split here, not by a tokenizer.

FTS5's default `unicode61` tokenizer keeps a run of Chinese characters as one token, so
`低保` never matches `城乡低保对象`; the `trigram` tokenizer cannot match a query shorter
than three characters, and most Chinese words are two. jieba's search mode misses
substrings that cross its word boundaries (`沙县` in `长沙县`). So the index holds, for
every run of Chinese characters, its overlapping bigrams (in order) followed by its single
characters; Latin letters and digits are kept as lower-cased words. A query of two or
more Chinese characters becomes the phrase of its bigrams (which matches exactly the texts
that contain it as a substring), one character becomes that character, and a Latin or
digit word becomes a prefix query. Both sides go through `unicode61`, which splits the
tokens on the spaces put between them and changes nothing else.

The text is first folded by `stdhub.personal.normalize.fold` (NFKC, zero-width and other
format characters removed, dashes as `-`): the very text the personal-data screen reads,
so a number hidden by full-width digits or a zero-width space is either caught by the
screen or indexed as the screen saw it, never made searchable behind its back.

The loader stores `index_text(value)` for each searched column in a contentless FTS5
table (`content=''`) whose rowid is the row's rowid; a search is

    SELECT * FROM t WHERE rowid IN (SELECT rowid FROM t_fts WHERE t_fts MATCH ?)

with `match_expression(user_query)` as the parameter. Datasette's `_search=` can use the
same function (its raw search mode) so the site and the database agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdhub.personal.normalize import fold

TOKENIZE = "unicode61 remove_diacritics 2"
"""The FTS5 `tokenize=` option of every table built from `index_text`."""

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)")


def _runs(text: str) -> Iterator[tuple[str, str]]:
    """Yield ("cjk" | "word", run) for each run of Chinese characters or of letters/digits."""
    for m in _RUN.finditer(fold(text)):
        if m["cjk"]:
            yield "cjk", m["cjk"]
        else:
            yield "word", m["word"].lower()


def tokens(text: str | None) -> list[str]:
    """The index tokens of one value: per Chinese run its bigrams then its characters."""
    out: list[str] = []
    for kind, run in _runs(text or ""):
        if kind == "word":
            out.append(run)
            continue
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.extend(run)
    return out


def index_text(text: str | None) -> str:
    """What to store in the FTS5 column for `text` (tokens joined by spaces)."""
    return " ".join(tokens(text))


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what a user typed; None when it has nothing to search.

    Every part must be found (AND). `低保` -> `"低保"`; `长沙县` -> `"长沙 沙县"` (a phrase,
    so the three characters must be adjacent); `县` -> `"县"`; `4301` -> `"4301"*`.
    """
    parts = []
    for kind, run in _runs(query or ""):
        if kind == "word":
            parts.append(f'"{run}"*')
        elif len(run) == 1:
            parts.append(f'"{run}"')
        else:
            parts.append('"' + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + '"')
    return " ".join(parts) or None
