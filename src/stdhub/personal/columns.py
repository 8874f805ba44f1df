"""Declared columns narrow the screen, never silence it.

A column whose Table Schema field carries the constraints of its data element (checked
against the element by `datasets.conformance`, D014) tells what its values are:

- a 统一社会信用代码 column (its `pattern` is GB 32100's, with the code's alphabet
  `A-HJ-NPQRTUWXY`): a cell that is a valid credit code (`recognize.credit_code_valid`)
  is that code, even when its 18 digits also read as an ID number;
- a number column with a declared `minimum` and `maximum` (a coordinate, a statistic): a
  cell whose number lies in that range is the element's value, not a mobile or card
  number; an 18-character ID number with its check character is reported all the same.

Every other cell of such a column is screened as any text is. A column's name, type or
description grants nothing (`personal.exceptions` keeps the reviewed exceptions).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from stdhub.personal.recognize import ID_NUMBER, Hit, credit_code_valid

CREDIT_CODE_ALPHABET = "A-HJ-NPQRTUWXY"  # in a field's pattern: a GB 32100 code column

Fits = Callable[[str, Hit], bool]  # (cell as written, a hit in it) -> the element's value?


def _never(cell: str, hit: Hit) -> bool:
    return False


def element_fit(field: dict[str, Any]) -> Fits:
    """What the field's declared element lets through (see the module's docstring)."""
    constraints = field.get("constraints")
    constraints = constraints if isinstance(constraints, dict) else {}
    pattern = constraints.get("pattern")
    if isinstance(pattern, str) and CREDIT_CODE_ALPHABET in pattern:
        return lambda cell, hit: credit_code_valid(cell.strip())
    low, high = _finite(constraints.get("minimum")), _finite(constraints.get("maximum"))
    if field.get("type") in ("number", "integer") and low is not None and high is not None:
        lowest, highest = low, high

        def in_range(cell: str, hit: Hit) -> bool:
            if hit.kind == ID_NUMBER and len(hit.number) == 18:
                return False
            try:
                value = float(cell.strip())
            except ValueError:
                return False
            return lowest <= value <= highest

        return in_range
    return _never


def _finite(value: Any) -> float | None:
    """A declared bound as a number (None: not a finite number)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None
