"""The one normalisation of published text: what the screen reads is what the index holds.

`fold(text)` is NFKC (full-width digits and `Ｘ` become ASCII, `①` becomes `1`, the
ideographic space a space) with every format character removed (zero-width space and
joiners, soft hyphen, BOM, bidi marks: Unicode category Cf) and every dash spelled `-`.
The personal-data screen recognises numbers in `fold(text)`; `stdhub.fts` makes its
tokens from `fold(text)` too, so no number becomes searchable that the screen did not see.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc\u2043"
_DASH = re.compile(f"[{_DASHES}]")
# Unicode category Cf (format characters), as ranges: `tests/personal` checks it against
# `unicodedata` code point by code point.
FORMAT_CHARS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
_FORMAT = re.compile(f"[{FORMAT_CHARS}]+")
# Characters that are not decimal digits but whose NFKC form holds one (at most three:
# `²`, `①`, `⒇`, `㏠`, `⅒`…); `tests/personal` checks the list against `unicodedata`.
DIGIT_LIKE = (
    "\u00b2-\u00b3\u00b9\u00bc-\u00be\u2070\u2074-\u2079\u2080-\u2089\u2150-\u215f"
    "\u2189\u2460-\u249b\u24ea\u3251-\u325f\u32b1-\u32cb\u3358-\u3370\u3378-\u3379"
    "\u339f-\u33a6\u33a8\u33af\u33e0-\u33fe\U0001f100-\U0001f10a"
)
_FOUR_DIGITS = re.compile(f"(?s)(?:.*?[\\d{DIGIT_LIKE}〇零一二两三四五六七八九幺]){{4}}")


def may_hold_digits(text: str, count: int = 11) -> bool:
    """Can `fold(text)` hold `count` (11) ASCII digits? A quick test before folding."""
    if text.isascii():
        return sum(text.count(d) for d in "0123456789") >= count
    return _FOUR_DIGITS.match(text) is not None  # 4 characters make at most 12 digits


def fold(text: str) -> str:
    """NFKC, format characters (category Cf) removed, dashes as `-`. Shapes: str -> str."""
    if text.isascii():
        return text
    text = _FORMAT.sub("", unicodedata.normalize("NFKC", text))
    return _DASH.sub("-", text)


# The screen's reading of a text (`screen_view`): `fold`, and besides every digit of any
# script as ASCII (`unicodedata.decimal`: Arabic-Indic, Devanagari, …), the Chinese numerals
# people write numbers with, combining marks and variation selectors (categories Mn, Me)
# removed, every line break as `\n`, and a right-to-left override read as it is shown.
CHINESE_DIGITS = {
    "〇": "0", "零": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4",
    "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
}  # fmt: skip
_LINE_BREAKS = frozenset("\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_RLO, _BIDI_END = "\u202e", frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\n")


@functools.lru_cache(maxsize=8192)
def screen_char(c: str) -> str:
    """What one character is to the screen: `''` (format character, combining mark,
    variation selector), its ASCII digit(s), `-` for a dash, `\\n` for a line break, or its
    NFKC form."""
    if c in CHINESE_DIGITS:
        return CHINESE_DIGITS[c]
    if c in _LINE_BREAKS:
        return "\n"
    if unicodedata.category(c) in ("Cf", "Mn", "Me"):
        return ""
    out = []
    for ch in unicodedata.normalize("NFKC", c):
        digit = unicodedata.decimal(ch, None)
        out.append(str(digit) if digit is not None else "-" if ch in _DASHES else ch)
    return "".join(out)


class _Table(dict[int, str]):
    """`screen_char` for `str.translate`, each character worked out once."""

    def __missing__(self, cp: int) -> str:
        self[cp] = out = screen_char(chr(cp))
        return out


_TABLE = _Table()
_ASCII_ODD = frozenset("\v\f\x1c\x1d\x1e")


def screen_view(text: str) -> str:
    """The text the screen reads: `screen_char` of every character, in the order shown.
    Shapes: str -> str."""
    if text.isascii() and _ASCII_ODD.isdisjoint(text):
        return text
    if _RLO not in text:
        return text.translate(_TABLE)
    return "".join(screen_char(text[i]) for i in _display_order(text))


def screen_origins(text: str) -> list[int]:
    """For each character of `screen_view(text)`, the index in `text` it comes from, and
    `len(text)` last. Shapes: str -> [int] of len(screen_view(text)) + 1."""
    origin = [i for i in _display_order(text) for _ in screen_char(text[i])]
    origin.append(len(text))
    return origin


def _display_order(text: str) -> list[int] | range:
    """Indexes of `text` in the order they are shown: a right-to-left override (U+202E, up
    to its end) is shown reversed, so `\\u202e87654321831` reads 13812345678."""
    if _RLO not in text:
        return range(len(text))
    order: list[int] = []
    i = 0
    while i < len(text):
        if text[i] != _RLO:
            order.append(i)
            i += 1
            continue
        j = i + 1
        while j < len(text) and text[j] not in _BIDI_END:
            j += 1
        order.extend(range(j - 1, i - 1, -1))
        i = j
    return order
