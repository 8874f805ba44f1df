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


def _strip_format(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def fold(text: str) -> str:
    """NFKC, format characters (category Cf) removed, dashes as `-`. Shapes: str -> str."""
    if text.isascii():
        return text
    text = _strip_format(unicodedata.normalize("NFKC", text))
    return _DASH.sub("-", text)
