"""The screen over what is published: every scalar of a YAML/JSON document, every table cell.

- `screen_tree(data, where, display, report)`: every string and number of a standard's or
  a descriptor's tree (clauses, 解读, 实施方案, contact, code-list labels, list items,
  field descriptions and examples…); one problem per number found, at its line, with
  its JSON path, showing only the number masked.
- `screen_lines(text, display, report)`: a hand-written page (`docs/`), each hit at its line.
- `screen_values(values)`: the distinct cells of one column (as written, whatever the
  declared type) -> the hits of each cell that holds personal data. pyarrow picks the
  candidates first (cells with eleven digits or more, allowing separators); Python reads
  only those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stdhub.personal.columns import Fits
from stdhub.personal.recognize import KIND_NAMES, Hit, digest, find_all
from stdhub.problems import Report

# A cell of digits only can hold a hit only at these lengths (a 12-digit village code cannot).
_PURE_DIGITS = r"^[0-9]+$"
_PURE_CANDIDATE = r"^(?:[0-9]{11}|0[0-9]{11}|86[0-9]{11}|0086[0-9]{11}|[0-9]{15,19}|[0-9]{17}[Xx])$"
# Otherwise the cell is read as written (any digit the screen's reading makes stays a digit
# character here: ASCII, full-width, the Chinese numerals; format characters may sit
# anywhere, other characters only widen gaps): a hit is fifteen digits or more (ID, card),
# or a mobile's eleven starting 1[3-9], or a spreadsheet's scientific notation, each digit
# at most three characters from the next.
_CN = "〇零一二两三四五六七八九幺"
_D = rf"[0-9\x{{FF10}}-\x{{FF19}}{_CN}]"
_GAP = rf"\p{{Cf}}*(?:[^0-9\x{{FF10}}-\x{{FF19}}{_CN}\p{{Cf}}]\p{{Cf}}*){{0,3}}"
_TEXT_CANDIDATE = (
    rf"{_D}(?:{_GAP}{_D}){{14}}"
    rf"|[1\x{{FF11}}一幺]{_GAP}[3-9\x{{FF13}}-\x{{FF19}}三四五六七八九](?:{_GAP}{_D}){{9}}"
    r"|[0-9][.．][0-9]{10,}[eE]"
)
# Cells with characters whose NFKC form may hold more digits than they show (`⑽` -> `(10)`)
# are always candidates, and so are cells with bidi controls (shown in another order);
# Chinese text, ASCII, full-width forms and punctuation are not.
_PLAIN = (
    r"^[\x{0}-\x{7f}\x{2000}-\x{2029}\x{202f}-\x{2065}\x{206a}-\x{206f}\x{3000}-\x{303f}"
    r"\x{4e00}-\x{9fff}\x{ff00}-\x{ffef}\x{feff}]*$"
)
# A decimal number (a coordinate, a ratio, a statistic) holds a hit only in an integer part
# of eleven digits or more (`13987654321.0`): the digits after its point are a fraction, as
# the recogniser reads them; taken out when no dot or digit joins it to more (`138.1234.5678`)
# and it is no scientific notation (`1.3812345678e+10`).
_DECIMAL = r"(^|[^0-9.])[0-9]{1,10}\.[0-9]+($|[^0-9.eE])"
# A landline standing alone (area code, number, extension) holds nothing: taken out first,
# with the characters around it, so that nothing next to it is joined or cut.
_EDGE = (
    r"[^0-9\x{FF10}-\x{FF19}\-. \t\x{3000}\x{FF0D}\x{FF0E}\p{Cf}"
    r"\x{2010}-\x{2015}\x{2212}\x{FE58}\x{FE63}\x{30FC}\x{2043}Xx]"
)
_LANDLINE = rf"(^|{_EDGE})0[1-9][0-9]{{1,2}}-[2-9][0-9]{{6,7}}(?:-[0-9]{{1,5}})?($|{_EDGE})"

Where = Callable[[tuple[str | int, ...]], tuple[int, int]]


def describe(hits: list[Hit]) -> str:
    """`疑似手机号码 138****5678（sha256:0123456789abcdef）`, one per hit: never the whole number."""
    return "；".join(
        f"疑似{KIND_NAMES[h.kind]} {h.masked}（sha256:{digest(h.number)[:16]}）" for h in hits
    )


def _scalars(data: Any) -> Iterator[tuple[tuple, str]]:
    """(JSON path, text) of every string and number that could hold eleven digits."""
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if len(value) >= 11:
                yield path, value
        elif isinstance(value, dict):
            stack.extend(((*path, str(k)), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            yield path, f"{value}|0{value:o}"  # YAML 1.1 reads an unquoted 0137… as octal
        elif isinstance(value, float):
            yield path, repr(value)


def screen_tree(
    data: Any,
    where: Where,
    display: str,
    report: Report,
    *,
    allowed: Callable[[tuple, Hit], bool] = lambda path, hit: False,
) -> None:
    """Add one error (P001–P003) per personal number in any scalar of `data` to `report`."""
    for path, text in _scalars(data):
        hits = [h for h in find_all(text) if not allowed(path, h)]
        for hit in hits:
            line, column = where(path)
            report.add(
                hit.kind, display, f"含{describe([hit])}", line=line, column=column, path=path
            )


def screen_lines(
    text: str, display: str, report: Report, allowed: Callable[[Hit], bool] = lambda hit: False
) -> None:
    """Add one error (P001–P003) per personal number in a text file (a page), at its line."""
    for hit in find_all(text):  # the whole text: a number may be split over two lines
        if not allowed(hit):
            line = text.count("\n", 0, hit.start) + 1
            report.add(hit.kind, display, f"含{describe([hit])}", line=line)


def screen_pages(docs: Path, base: Path, report: Report) -> None:
    """Every hand-written page (`docs/**/*.md`) the site publishes, line by line; values in
    the project's allow-list (`personal-data.yaml`) pass."""
    from stdhub.personal.exceptions import project_exceptions

    allowed = project_exceptions(base.resolve())[0]
    for path in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the site build reports an unreadable page
        screen_lines(text, str(path.relative_to(base)), report, allowed.permits)


def candidates(values: pa.Array) -> pa.Array:
    """The values that may hold personal data (a superset of those that do). Shapes: str array."""
    values = pc.drop_null(values)
    if not len(values):
        return values
    pure = pc.match_substring_regex(values, _PURE_DIGITS)
    text = pc.replace_substring_regex(values, pattern=_LANDLINE, replacement="\\1#\\2")
    for _ in range(2):  # decimals one after another share the character between them
        text = pc.replace_substring_regex(text, pattern=_DECIMAL, replacement="\\1#\\2")
    maybe = pc.if_else(
        pure,
        pc.match_substring_regex(values, _PURE_CANDIDATE),
        pc.or_(
            pc.match_substring_regex(text, _TEXT_CANDIDATE),
            pc.invert(pc.match_substring_regex(values, _PLAIN)),
        ),
    )
    return values.filter(maybe)


def screen_values(
    values: pa.Array,
    keep: Callable[[Hit], bool] = lambda hit: True,
    limit: int | None = None,
    fits: Fits = lambda cell, hit: False,
) -> dict[str, list[Hit]]:
    """Distinct cells (as written) -> the personal numbers each holds that `keep` keeps and
    that are not the value of the column's declared element (`fits`, see `columns`); cells
    without any left out. Stops after `limit` such cells (publishing is blocked already)."""
    out = {}
    for value in candidates(values).to_pylist():
        hits = [h for h in find_all(value) if keep(h) and not fits(value, h)]
        if hits:
            out[value] = hits
            if limit is not None and len(out) >= limit:
                break
    return out
