"""Personal data found by content, not by column name: ID numbers, mobile numbers, bank cards.

- 公民身份号码 (GB 11643-1999): 18 characters, a plausible region and birth date, and a
  valid check character (ISO 7064 MOD 11-2).
- 手机号码: 11 digits starting 13-19 (optionally +86, spaces or hyphens in 3-4-4 groups).
- 银行卡号: 16 to 19 digits (optionally in groups) passing the Luhn check.

A masked form (`430***********1234`, `138****5678`) has no run of digits long enough and
passes. Digits glued to other digits or letters (a 12-digit village code, a 18-character
credit code) are not taken for any of these, nor is an all-digit unified social credit
code with a valid GB 32100 check character (it would pass Luhn one time in ten).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

ID_NUMBER = "P001"
MOBILE = "P002"
BANK_CARD = "P003"

KIND_NAMES = {ID_NUMBER: "公民身份号码", MOBILE: "手机号码", BANK_CARD: "银行卡号"}

# A first look in RE2 syntax (pyarrow runs it over a whole column): the three shapes with
# their digit boundaries, without the checks; `find` then decides on the few it passes.
PREFILTER = (
    r"(?:^|[^0-9])(?:"
    r"(?:\+?86[ \-]?)?1[3-9][0-9](?:[ \-]?[0-9]{4}){2}"
    r"|[0-9](?:[ \-]?[0-9]){15,18}"
    r"|[1-9][0-9]{16}[0-9Xx]"
    r")(?:[^0-9]|$)"
)

_EDGE_L = r"(?<![0-9A-Za-z])"
_EDGE_R = r"(?![0-9A-Za-z])"
_ID = re.compile(_EDGE_L + r"([1-9][0-9]{16}[0-9Xx])" + _EDGE_R)
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[ \-]?)?(1[3-9][0-9](?:[ \-]?[0-9]{4}){2})(?![0-9])")
_CARD = re.compile(r"(?<![0-9])([0-9](?:[ \-]?[0-9]){15,18})(?![0-9])")
_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]


def id_number_valid(value: str) -> bool:
    """GB 11643: region, birth date and the MOD 11-2 check character."""
    if len(value) != 18 or not value[:17].isdigit() or not "11" <= value[:2] <= "82":
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if not dt.date(1890, 1, 1) <= born <= dt.date.today():
        return False
    total = sum(int(c) * w for c, w in zip(value[:17], _WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == value[17].upper()


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def uscc_valid(value: str) -> bool:
    """GB 32100: 18 characters from its alphabet, the last a MOD 31 check character."""
    if len(value) != 18 or any(c not in _USCC_CHARS for c in value):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == value[17]


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def find(text: str) -> str | None:
    """The kind of personal data in one text value (a problem code), or None."""
    for m in _ID.finditer(text):
        if id_number_valid(m.group(1)):
            return ID_NUMBER
    if _MOBILE.search(text):
        return MOBILE
    for m in _CARD.finditer(text):
        digits = re.sub(r"[ \-]", "", m.group(1))
        if not 16 <= len(digits) <= 19 or id_number_valid(digits) or uscc_valid(digits):
            continue
        if luhn_valid(digits):
            return BANK_CARD
    return None


_PRE = re.compile(PREFILTER)


def scan(values: Iterable[str | None]) -> dict[str, str]:
    """Distinct values that hold personal data -> the problem code of what they hold."""
    hits = {}
    for value in values:
        if value and _PRE.search(value):
            kind = find(value)
            if kind:
                hits[value] = kind
    return hits


def mask(value: str) -> str:
    """How a hit is shown in a message: never the whole number."""
    digits = re.sub(r"[^0-9Xx]", "", value)
    if len(digits) <= 7:
        return "*" * len(value)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
