"""The one normalisation of published text: what the screen reads is what the index holds.

`fold(text)` is NFKC (full-width digits and `Ｘ` become ASCII, `①` becomes `1`, the
ideographic space a space) with every format character removed (zero-width space and
joiners, soft hyphen, BOM, bidi marks: Unicode category Cf) and every dash spelled `-`.
The personal-data screen recognises numbers in `fold(text)`; `stdhub.fts` makes its
tokens from `fold(text)` too, so no number becomes searchable that the screen did not see.
"""

from __future__ import annotations

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
_FOUR_DIGITS = re.compile(f"(?s)(?:.*?[\\d{DIGIT_LIKE}]){{4}}")


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
