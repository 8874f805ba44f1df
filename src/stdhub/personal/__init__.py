"""Personal data (公民身份号码, 手机号码, 银行卡号) found by content in everything published.

- `normalize`: the one folding of text (NFKC, format characters removed, dashes) that the
  full-text index (`stdhub.fts`) tokenises, and the screen's reading of it (`screen_view`:
  every digit script and the Chinese numerals as digits, combining marks removed);
- `recognize`: the numbers in one text, in any spelling people write (`find_all`), and
  the text with them replaced (`redact`): the one recogniser of every text published or
  stored (cells, descriptors, standards, pages, comments, form fields, file names);
- `screen`: every scalar of a YAML/JSON tree and every cell of a table, with the
  reviewed exceptions of a dataset (`exceptions`) applied.
"""

from __future__ import annotations

from stdhub.personal.recognize import (
    BANK_CARD,
    ID_NUMBER,
    KIND_NAMES,
    MOBILE,
    Hit,
    find,
    find_all,
    mask,
    redact,
)

__all__ = [
    "BANK_CARD",
    "ID_NUMBER",
    "KIND_NAMES",
    "MOBILE",
    "Hit",
    "find",
    "find_all",
    "mask",
    "redact",
]
