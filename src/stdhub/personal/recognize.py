"""Personal numbers in one text, recognised in the screen's reading of it
(`normalize.screen_view`: NFKC, every digit script and the Chinese numerals as ASCII
digits, format characters, combining marks and variation selectors removed).

This is the one recogniser of the project: cells, descriptors, standards, pages, comments
and whatever else a person types are all read by `find_all`.

A text is read as *spans*: digit groups joined by short separators (space, tab, line
break, `-`, `.`, parentheses; at most three characters), e.g. `430102 19900307 7417`,
`+86 138-1234-5678` or `(138)12345678`. Context ends a candidate rather than joins it:

- a decimal point: the digits after it are a fraction, never a number
  (`113.13412345679`, `词 9.15574552361`); a dot is a decimal point unless dots alone
  separate three groups or more (`138.1234.5678`, `110105.19720615.0026`);
- a Latin letter right after the digits (a check character: `52430528049746507N`) or an
  18-character token that is a valid 统一社会信用代码: only an 18-character ID counts;
- a URL, a UUID or a long hexadecimal token (below).
Every run of consecutive groups of a span (a *window*) is tried, longest first, as:

- 公民身份号码 (P001): 18 characters with a valid GB 11643 check character
  (`stdnum.cn.ric`), a province that exists and a birth date between 1890 and today; or
  15 digits (the old number) with a region code known to `stdnum`'s table and a valid date.
- 手机号码 (P002): 11 digits in a mobile segment (13x, 145–149, 15x, 162/165–167, 17x,
  18x, 19x), written whole, grouped as people write them (3-4-4, 3-8, 7-4, 3-2-2-2-2),
  or cut once anywhere by one space (`1381 2345678`),
  after `+86`, `0086`, `86-` or the trunk `0`.
- 银行卡号 (P003): 16 to 19 digits with a card-issuer shape (4, 5, 6, 35–37, 95, 2221–2720),
  passing Luhn (`stdnum.luhn`), written whole or in groups of four, and neither a valid
  ID number nor a valid 统一社会信用代码 (`stdnum.cn.uscc`) nor seven equal digits in a row.
- scientific notation (`4.301031990030712e+17`, how a spreadsheet shows a long number):
  the digits it still shows are judged as above (an ID by region and date).

Not personal data, by construction: a landline with its extension (`0731-85270514-8476`
has no window of a mobile's or card's shape), lists of codes or years (each window is
judged as a whole; a card written in groups must be its whole span, and a span whose
groups all share their first two digits is a list), registration numbers (`…第…号`),
and numbers after a foreign country code (`+49 …`, `00977 …`). Inside a URL (except a
query value), a UUID or a long hexadecimal token only 18-character ID numbers count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import luhn, numdb
from stdnum.cn import ric, uscc

from stdhub.personal.normalize import may_hold_digits, screen_origins, screen_view

ID_NUMBER = "P001"
MOBILE = "P002"
BANK_CARD = "P003"
KIND_NAMES = {ID_NUMBER: "公民身份号码", MOBILE: "手机号码", BANK_CARD: "银行卡号"}

PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
}  # fmt: skip
_MOBILE = re.compile(r"1(?:3\d|4[5-9]|5[0-35-9]|6[25-7]|7[0-8]|8\d|9[0-35-9])\d{8}")
# written whole, as people group it, or cut once anywhere (a line break, one space)
_MOBILE_SHAPES = {(11,), (3, 4, 4), (3, 8), (7, 4), (3, 2, 2, 2, 2)}
_CUT_ONCE = {(n, 11 - n) for n in range(1, 11)}  # with one space between: `1381 2345678`
_CARD_ISSUER = re.compile(r"(?:4|5|6|3[5-7]|95|2(?:2[2-9]|[3-6]\d|7[0-2]))")
_SAME7 = re.compile(r"(\d)\1{6}")
_SEPARATORS = " \t\r\n\v\f-.()"
_SPAN = re.compile(r"[0-9]+(?:[ \t\r\n\v\f\-.()]{1,3}[0-9]+)*(?:[ \t\r\n\v\f\-]{0,3}[Xx*])?")
_GROUP = re.compile(r"[0-9]+[Xx*]?|[Xx*]")
_SCI = re.compile(r"(?<![0-9.])([0-9])\.([0-9]+)[eE]\+?([0-9]{1,2})(?![0-9])")
_OPAQUE = re.compile(
    r"(?P<url>(?:https?|ftp)://[^\s<>\"'，。；、）)]+|www\.[^\s<>\"'，。；、）)]+)"
    r"|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|(?<![0-9A-Za-z])[0-9a-fA-F]{24,}(?![0-9A-Za-z])"
)
_LOC = numdb.get("cn/loc")


@dataclass(frozen=True)
class Hit:
    """One personal number: its kind (a problem code), its digits, where it is in the text
    (`text[start:end]` spells it)."""

    kind: str
    number: str
    start: int
    end: int

    @property
    def masked(self) -> str:
        return mask(self.number)


def mask(number: str) -> str:
    """First 3 and last 4 characters, the rest `*`: `138****5678`. Never the whole number."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def _date(yyyymmdd: str) -> bool:
    try:
        born = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return dt.date(1890, 1, 1) <= born <= dt.date.today()


def _region(code: str) -> bool:
    """A six-digit division code `stdnum`'s table knows (at any time)."""
    return code[:2] in PROVINCES and any(props for _, props in _LOC.info(code)[1:])


_CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")


def credit_code_valid(code: str) -> bool:
    """统一社会信用代码 (GB 32100-2015): its shape (the first two characters may be letters,
    as for 登记管理部门 Y, N, A, which `stdnum.cn.uscc.validate` refuses) and its check
    character (`stdnum.cn.uscc.calc_check_digit`, GB 32100's MOD 31)."""
    return bool(_CREDIT_CODE.fullmatch(code)) and uscc.calc_check_digit(code[:17]) == code[17]


def id18_valid(number: str) -> bool:
    """GB 11643-1999: 17 digits, check character (ISO 7064 MOD 11-2), province, birth date."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in PROVINCES:
        return False
    return ric.calc_check_digit(number) == number[17] and _date(number[6:14])


def id15_valid(number: str) -> bool:
    """The 15-digit number (before 1999): a known region code and a valid 19yy date."""
    return (
        len(number) == 15
        and number.isdigit()
        and _region(number[:6])
        and _date("19" + number[6:12])
    )


def _is_list(groups: list[str]) -> bool:
    """Codes or years one after another (`430204 430211 430212`, `2019 2020 2021`)."""
    if all(len(g) == 4 and 1900 <= int(g) <= 2099 for g in groups):
        return True
    return len({g[:2] for g in groups}) == 1 and all(len(g) >= 4 for g in groups)


def _card(digits: str, shape: tuple[int, ...], whole: bool, groups: list[str]) -> bool:
    if not (16 <= len(digits) <= 19 and digits.isdigit() and _CARD_ISSUER.match(digits)):
        return False
    if len(shape) > 1:
        fours = all(n == 4 for n in shape[:-1]) and 1 <= shape[-1] <= 4
        if not (whole and (fours or (len(shape) == 2 and shape[0] == 6))) or _is_list(groups):
            return False
    if _SAME7.search(digits) or id18_valid(digits) or credit_code_valid(digits):
        return False
    return luhn.is_valid(digits)


def _mobile(groups: list[str], spaced: bool = False) -> str | None:
    """The 11-digit mobile number these groups spell, or None."""
    if len(groups) > 1 and groups[0] in ("86", "0086"):
        groups = groups[1:]
    if len(groups) == 1:
        g = groups[0]
        for prefix in ("0086", "86", "0"):
            if len(g) == 11 + len(prefix) and g.startswith(prefix):
                groups = [g[len(prefix) :]]
    elif groups[0].startswith("0") and len(groups[0]) in (4, 8):
        groups = [groups[0][1:], *groups[1:]]  # the trunk 0: 0138 1234 5678
    digits = "".join(groups)
    shape = tuple(len(g) for g in groups)
    if (shape in _MOBILE_SHAPES or (spaced and shape in _CUT_ONCE)) and _MOBILE.fullmatch(digits):
        return digits
    return None


_LENGTHS = frozenset(range(11, 20))
_MOBILE_LIKE = re.compile(r"(?:0086|86|0)?1[3-9]\d{9}")


def _judge(
    groups: list[str], whole: bool, strict: bool, spaced: bool = False
) -> tuple[str, str] | None:
    """(kind, number) for one window of groups; `strict`: only an 18-character ID counts;
    `spaced`: two groups with one space between them."""
    joined = "".join(groups).upper()
    size = len(joined)
    if size not in _LENGTHS:
        return None
    if size == 18 and id18_valid(joined):
        return ID_NUMBER, joined
    if size == 18 and joined[17] == "*" and _region(joined[:6]) and _date(joined[6:14]):
        return ID_NUMBER, joined  # the check character hidden: the rest is the person's
    if joined.endswith("*"):  # a mark after the number (`13812345678*`), not part of it
        joined, groups = joined[:-1], [*groups[:-1], groups[-1][:-1]]
        if not groups[-1]:
            return None
    if strict:
        return None
    digits = joined.rstrip("X")
    if digits != joined:
        groups = [g.rstrip("Xx") for g in groups]
    shape = tuple(len(g) for g in groups)
    if len(digits) == 15 and (len(shape) == 1 or min(shape) >= 3) and id15_valid(digits):
        return ID_NUMBER, digits
    if _MOBILE_LIKE.fullmatch(digits):
        mobile = _mobile(groups, spaced)
        if mobile:
            return MOBILE, mobile
    if _card(digits, shape, whole, groups):
        return BANK_CARD, digits
    return None


def _sci(m: re.Match[str]) -> tuple[str, str] | None:
    """A number a spreadsheet showed as `4.301031990030712e+17`: what its digits still tell."""
    shown = (m[1] + m[2]).rstrip("0") or "0"
    size = int(m[3]) + 1
    if len(shown) > size:
        return None  # not a whole number
    digits = shown.ljust(size, "0")
    if size == 18 and len(shown) >= 14:
        if len(shown) == 18:
            return (ID_NUMBER, digits) if id18_valid(digits) else None
        if _region(digits[:6]) and _date(digits[6:14]):
            return ID_NUMBER, digits
        return None
    if size in (11, 15, 16, 17, 18, 19) and len(shown) >= 11:
        judged = _judge([digits], True, False)
        if judged:
            return judged
        if size >= 16 and len(shown) < size and len(shown) >= 15 and _CARD_ISSUER.match(digits):
            return BANK_CARD, digits  # the last digits are lost: the shape is all that is left
    return None


_COUNTRY = re.compile(r"(?:\+|\b00)\s?\(?(\d{1,3})\)?[ \t\-.]?(?:\(0\)[ \t\-.]?)?$")


def _foreign(text: str, start: int, groups: list[str]) -> bool:
    """A number after a country code other than China's (`+49 …`, `+49 (0)151 …`, `00977 …`)."""
    m = _COUNTRY.search(text, max(0, start - 12), start)
    if m:
        return m[1] != "86"
    before = text[max(0, start - 3) : start].rstrip(" (（")
    if before.endswith("+"):
        return not groups[0].startswith("86")
    return groups[0].startswith("00") and not groups[0].startswith("0086")


def _registration(text: str, start: int, end: int) -> bool:
    """`湘民登字第4301000000000000008号`: a document or registration number."""
    return text[max(0, start - 2) : start].rstrip().endswith("第") and text[
        end : end + 2
    ].lstrip().startswith("号")


_ENOUGH = re.compile(r"[0-9](?:[^0-9]{0,3}[0-9]){10}")
_WHOLE = re.compile(r"[0-9]{11}|0[0-9]{11}|86[0-9]{11}|0086[0-9]{11}|[0-9]{15,19}")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def find_all(text: str) -> list[Hit]:
    """Every personal number in `text` (any spelling), in order; `start`/`end` are indexes
    in `text` itself. Shapes: str -> [Hit]."""
    if not may_hold_digits(text):
        return []
    view = screen_view(text)
    if not _ENOUGH.search(view):
        return []  # every hit has eleven digits or more, at most three characters apart
    hits = _find(view)
    if hits and view is not text:
        origin = screen_origins(text)
        hits = [Hit(h.kind, h.number, origin[h.start], origin[h.end - 1] + 1) for h in hits]
    return hits


def _find(text: str) -> list[Hit]:
    hits: list[Hit] = []
    taken = []
    if "e" in text or "E" in text:
        for m in _SCI.finditer(text):
            taken.append((m.start(), m.end()))
            judged = _sci(m)
            if judged:
                hits.append(Hit(judged[0], judged[1], m.start(), m.end()))
    opaque: list[tuple[int, int, bool]] | None = None
    for m in _SPAN.finditer(text):
        span = m.group()
        if len(span) < 11 or (span.isdigit() and not _WHOLE.fullmatch(span)):
            continue  # digits alone can only be these lengths (a 12-digit village code is not)
        if any(s <= m.start() < e for s, e in taken):
            continue
        groups = [
            (g.group(), m.start() + g.start(), m.start() + g.end())
            for g in _GROUP.finditer(m.group())
        ]
        if sum(len(g) for g, _, _ in groups) < 11:
            continue
        parts = [p for p in _numbers(text, groups) if sum(len(g) for g, _, _ in p) >= 11]
        if not parts:
            continue
        if opaque is None:
            opaque = [(o.start(), o.end(), bool(o["url"])) for o in _OPAQUE.finditer(text)]
        strict = _strict(text, m, [g for g, _, _ in groups], opaque)
        for part in parts:
            hits.extend(_in_span(text, part, strict))
    return sorted(hits, key=lambda h: h.start)


def _numbers(text: str, groups: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """The runs of groups that may form one number: a decimal point ends a number, and the
    digits after it (a fraction: `113.13412345679`, `0.13812345678`) are none. A dot is a
    decimal point unless dots alone separate three groups or more (`138.1234.5678`)."""
    seps = [text[a[2] : b[1]] for a, b in itertools.pairwise(groups)]
    if "." not in seps or (len(seps) >= 2 and all(s == "." for s in seps)):
        return [groups]
    parts: list[list[tuple[str, int, int]]] = [[groups[0]]]
    for sep, group in zip(seps, groups[1:], strict=True):
        if sep == ".":
            parts.append([])  # the fraction: not a candidate, and it ends the number
        else:
            parts[-1].append(group)
    return [p for p in parts if p]


def _strict(
    text: str, m: re.Match[str], words: list[str], opaque: list[tuple[int, int, bool]]
) -> bool:
    """Is this span a foreign number, a registration number, inside a URL, UUID or hash, or
    part of a code with letters (a letter check character: `52430528049746507N`, a valid
    统一社会信用代码)? Then only an 18-character ID number counts."""
    return (
        _foreign(text, m.start(), words)
        or _registration(text, m.start(), m.end())
        or _coded(text, m.start(), m.end())
        or any(
            s <= m.start() < e and not (url and text[m.start() - 1 : m.start()] == "=")
            for s, e, url in opaque
        )
    )


def _coded(text: str, start: int, end: int) -> bool:
    """Digits followed at once by a Latin letter (a check character) or, after `X`, by more
    of a code (`524304828X9JNUNH5H`), or an 18-character
    token that is a valid 统一社会信用代码 (GB 32100, `stdnum.cn.uscc`)."""
    if end < len(text) and text[end] in _ALNUM:  # a letter, or a digit after `X`
        return True
    a, b = start, end
    while a > 0 and text[a - 1] in _ALNUM:
        a -= 1
    while b < len(text) and text[b] in _ALNUM:
        b += 1
    return b - a == 18 and credit_code_valid(text[a:b])


def _in_span(text: str, groups: list[tuple[str, int, int]], strict: bool) -> list[Hit]:
    words = [g for g, _, _ in groups]
    ends = [0]
    for w in words:
        ends.append(ends[-1] + len(w))
    out: list[Hit] = []
    i, n = 0, len(groups)
    while i < n:
        for j in range(n - 1, i - 1, -1):
            if ends[j + 1] - ends[i] not in _LENGTHS:
                continue
            spaced = j == i + 1 and text[groups[i][2] : groups[j][1]] == " "
            judged = _judge(words[i : j + 1], i == 0 and j == n - 1, strict, spaced)
            if judged:
                out.append(Hit(judged[0], judged[1], groups[i][1], groups[j][2]))
                i = j
                break
        i += 1
    return out


def find(text: str) -> str | None:
    """The kind (problem code) of the first personal number in `text`, or None."""
    hits = find_all(text)
    return hits[0].kind if hits else None


def digest(number: str) -> str:
    """The allow-list hash of a recognised number (its digits, `X` upper-case): sha256 hex."""
    return hashlib.sha256(number.upper().encode("ascii")).hexdigest()


def redact(text: str, replace: Callable[[Hit], str]) -> tuple[str, int]:
    """`text` with every personal number replaced by `replace(hit)`, the rest as written;
    and how many were replaced."""
    hits = find_all(text)
    for hit in reversed(hits):
        text = text[: hit.start] + replace(hit) + text[hit.end :]
    return text, len(hits)
