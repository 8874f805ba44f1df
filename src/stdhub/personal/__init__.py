"""Personal data (公民身份号码, 手机号码, 银行卡号) found by content in everything published.

- `normalize`: the one folding of text (NFKC, format characters removed, dashes) that the
  screen reads and the full-text index (`stdhub.fts`) tokenises;
- `recognize`: the numbers in one text, in any spelling people write (`find_all`);
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
)

__all__ = ["BANK_CARD", "ID_NUMBER", "KIND_NAMES", "MOBILE", "Hit", "find", "find_all", "mask"]
