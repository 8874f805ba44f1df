"""Units of measure for Datasette, which shows `120 张` through its vendored Pint.

Pint knows no Chinese units, so each symbol used by a measure column (人, 户, 元, 张 …)
is declared as a base unit of its own (`custom_units` in the metadata). A compound
unit like `元/人·月` becomes `元/(人*月)`. A unit Pint still cannot read is left out of
`units` (it stays in the column description).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from datasette.vendored import pint

from stdhub.datasets.manifest import Field
from stdhub.datasette.roles import NUMERIC

_SYMBOL = re.compile(r"[^\s/·*()0-9.^]+")


@cache
def _registry() -> pint.UnitRegistry:
    """One registry (building one takes a good part of a second); Chinese symbols defined
    on it are base units of their own, so defining more never changes earlier ones."""
    return pint.UnitRegistry()


@cache
def _builtin() -> pint.UnitRegistry:
    """A registry left as Pint made it: which symbols Datasette's Pint knows already."""
    return pint.UnitRegistry()


@cache
def pint_unit(unit: str | None) -> str | None:
    """The Pint expression of a unit written the Chinese way, or None if it has none."""
    if not unit:
        return None
    num, _, den = unit.partition("/")
    expr = num.strip() if not den else f"{num.strip()}/({den.replace('·', '*').strip()})"
    return expr if _parses(expr) else None


def _symbols(expr: str) -> list[str]:
    return sorted(set(_SYMBOL.findall(expr)))


def _unknown(symbols: Iterable[str], registry: pint.UnitRegistry) -> list[str]:
    return [s for s in symbols if s not in registry]


def _parses(expr: str) -> bool:
    registry = _registry()
    try:
        for symbol in _unknown(_symbols(expr), registry):
            registry.define(f"{symbol} = [{symbol}]")
        registry(expr)
    except Exception:  # Pint raises many kinds of errors for what it cannot read
        return False
    return True


def has_unit(f: Field) -> bool:
    return f.type in NUMERIC and pint_unit(f.unit) is not None


def custom_units(fields: Iterable[Field]) -> list[str]:
    """Pint definitions for the unit symbols of numeric columns that Pint does not know."""
    symbols: set[str] = set()
    for f in fields:
        if has_unit(f):
            symbols.update(_symbols(pint_unit(f.unit) or ""))
    return [f"{s} = [{s}]" for s in _unknown(sorted(symbols), _builtin())]
