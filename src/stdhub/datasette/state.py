"""What stdhub keeps per Datasette instance, kept here rather than as attributes set on
Datasette's own object (issue 27): the plugin's settings, read once; whether the fast
paths are installed; the foreign keys of each table, asked for by every rendered cell.

An entry lives as long as its Datasette instance (a weak reference): the tests start many.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from stdhub.datasette.links import PluginSettings


@dataclass
class State:
    """`settings`: the plugin's settings (None: not a stdhub instance); `read`: whether
    they were read; `fastpath`: the fast paths installed; `foreign_keys`: (database,
    table) -> column -> the table its foreign key refers to."""

    settings: PluginSettings | None = None
    read: bool = False
    fastpath: bool = False
    foreign_keys: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)


_STATES: WeakKeyDictionary[Any, State] = WeakKeyDictionary()


def of(datasette: Any) -> State:
    """The state of `datasette` (a new one the first time)."""
    state = _STATES.get(datasette)
    if state is None:
        state = _STATES[datasette] = State()
    return state
