"""Properties of the one recogniser (`stdhub.personal.find_all`), over generated numbers:

- any valid ID, mobile or bank card number, written with the separators people put inside
  numbers (spaces, hyphens, dots between three groups or more, line breaks, full-width and
  other digit scripts, Chinese numerals, format characters, combining marks, variation
  selectors) and embedded in text, is found, at the place it is written;
- no valid 统一社会信用代码, no decimal with nine decimals or more, no UUID is found.

The only exclusions are the recogniser's documented rules: a card written in groups that
all start with the same two digits is a list, seven equal digits in a row are no card, and
a number that is both a valid ID and a valid credit code is an ID (outside a column whose
data element says otherwise).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pyarrow as pa
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric, uscc

from stdhub.personal import BANK_CARD, ID_NUMBER, MOBILE, find_all
from stdhub.personal.normalize import screen_view
from stdhub.personal.recognize import _MOBILE, PROVINCES, credit_code_valid, id18_valid
from stdhub.personal.screen import candidates

SCRIPTS = [0x30, 0xFF10, 0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0x1D7CE, 0x1D7D8]
CHINESE = {**dict(zip("0123456789", "〇一二三四五六七八九", strict=True)), "1": "幺", "2": "两"}
MARKS = ["", "", "", "\u200b", "\u00ad", "\u2060", "\ufe0f", "\u0301", "\u20e3", "\U000e0100"]
SEPS = [" ", "-", "\n", "\r\n", "\u3000", "\u00a0", "\u2013", "\t", "  ", " - ", "\n\n"]
BEFORE = ["", "电话", "我的身份证号是", "卡号：", "请联系 ", "（", "编号为", "意见：\n"]
AFTER = ["", "，谢谢", "。", "）", " 请回电", "\n下一行", "号楼"]


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


@st.composite
def ids(draw: st.DrawFn) -> str:
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date(2020, 12, 31)))
    region = draw(st.sampled_from(sorted(PROVINCES))) + draw(_digits(4))
    body = region + born.strftime("%Y%m%d") + draw(_digits(3))
    return body + ric.calc_check_digit(body + "0")  # it reads the first 17 of 18


@st.composite
def cards(draw: st.DrawFn) -> str:
    issuer = draw(st.sampled_from(["4", "5", "62", "35", "95", "2221", "2720", "6"]))
    size = draw(st.integers(16, 19))
    body = issuer + draw(_digits(size - 1 - len(issuer)))
    number = body + luhn.calc_check_digit(body)
    assume(not re.search(r"(\d)\1{6}", number) and not id18_valid(number))
    assume(not credit_code_valid(number))
    return number


def _cuts(draw: st.DrawFn, kind: str, number: str) -> list[str]:
    n = len(number)
    if kind == ID_NUMBER:
        points = sorted(draw(st.sets(st.integers(1, n - 1), max_size=3)))
    elif kind == MOBILE:
        shape = draw(st.sampled_from(["whole", "3-4-4", "3-2-2-2-2", "once"]))
        points = {
            "whole": [],
            "3-4-4": [3, 7],
            "3-2-2-2-2": [3, 5, 7, 9],
            "once": [draw(st.integers(1, 10))],
        }[shape]
    else:
        points = draw(st.sampled_from([[], list(range(4, n, 4)), [6]]))
    bounds = [0, *points, n]
    groups = [number[a:b] for a, b in itertools.pairwise(bounds)]
    if kind == BANK_CARD and len(groups) > 1:
        assume(len({g[:2] for g in groups}) > 1)  # a list of codes, by the recogniser's rule
    return groups


def _digit(draw: st.DrawFn, d: str, kind: str) -> str:
    if d.isdigit() and draw(st.integers(0, 9)) == 0:
        written = (
            CHINESE[d] if d not in "12" else draw(st.sampled_from([CHINESE[d], "一二"[int(d) - 1]]))
        )
    elif d.isdigit():
        written = chr(draw(st.sampled_from(SCRIPTS)) + int(d))
    else:
        written = draw(st.sampled_from(["X", "x", "Ｘ"]))
    return written + draw(st.sampled_from(MARKS))


@st.composite
def written(draw: st.DrawFn) -> tuple[str, str, str]:
    """(kind, number, a text that holds it in some spelling)."""
    kind = draw(st.sampled_from([ID_NUMBER, MOBILE, BANK_CARD]))
    if kind == ID_NUMBER:
        number = draw(ids())
    elif kind == MOBILE:
        number = draw(st.from_regex(re.compile(_MOBILE.pattern, re.ASCII), fullmatch=True))
    else:
        number = draw(cards())
    groups = _cuts(draw, kind, number)
    same = draw(st.sampled_from([*SEPS, "."] if len(groups) >= 3 else SEPS))
    uniform = draw(st.booleans())
    if kind == MOBILE and len(groups) == 2 and len(groups[0]) not in (3, 7):
        same, uniform = " ", True  # cut once elsewhere: by one space
    text = ""
    for i, group in enumerate(groups):
        if i:
            text += same if uniform else draw(st.sampled_from(SEPS))
        text += "".join(_digit(draw, d, kind) for d in group)
    return kind, number, draw(st.sampled_from(BEFORE)) + text + draw(st.sampled_from(AFTER))


@settings(max_examples=800, deadline=None)
@given(written())
def test_any_spelling_of_a_personal_number_is_found_where_it_is_written(case) -> None:
    kind, number, text = case
    hits = [h for h in find_all(text) if h.kind == kind and h.number == number]
    assert hits, (kind, number, text)
    view = screen_view(text[hits[0].start : hits[0].end])
    assert re.sub(r"[^0-9Xx*]", "", view).upper() == number  # it spans the number, no more
    assert candidates(pa.array([text])).to_pylist() == [text]  # a table's first look keeps it


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    head = draw(st.text(alphabet, min_size=2, max_size=2))
    body = head + draw(_digits(6)) + draw(st.text(alphabet, min_size=9, max_size=9))
    return body + uscc.calc_check_digit(body)


@settings(max_examples=500, deadline=None)
@given(
    credit_codes(),
    st.sampled_from(["", "统一社会信用代码：", "代码 ", "（"]),
    st.sampled_from(["", "。", "）", "，登记机关"]),
)
def test_a_valid_credit_code_is_not_personal_data(code: str, before: str, after: str) -> None:
    assert credit_code_valid(code)
    assume(not id18_valid(code))  # both at once: an ID, unless the column says credit code
    assert find_all(before + code + after) == []


@st.composite
def decimals(draw: st.DrawFn) -> str:
    whole = draw(st.integers(0, 9_999_999_999))
    fraction = draw(st.text("0123456789", min_size=9, max_size=16))
    sign = draw(st.sampled_from(["", "", "-"]))
    return f"{sign}{whole}.{fraction}"


@settings(max_examples=500, deadline=None)
@given(
    st.lists(decimals(), min_size=1, max_size=4),
    st.sampled_from([" ", ", ", ",", "\t", "\n", "，", "; ", " - "]),
    st.sampled_from(["", "词 ", "经度", "ratio=", "坐标："]),
)
def test_a_decimal_with_nine_decimals_or_more_is_not_personal_data(
    numbers: list[str], sep: str, before: str
) -> None:
    assert find_all(before + sep.join(numbers)) == []


@settings(max_examples=300, deadline=None)
@given(
    st.uuids(),
    st.sampled_from(["{}", "{{{}}}", "urn:uuid:{}", "https://example.gov.cn/a/{}/file", "编号 {}"]),
    st.booleans(),
    st.booleans(),
)
def test_a_uuid_is_not_personal_data(uuid, frame: str, upper: bool, hyphens: bool) -> None:
    text = str(uuid) if hyphens else uuid.hex
    assert find_all(frame.format(text.upper() if upper else text)) == []
