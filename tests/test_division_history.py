"""Property tests over generated worlds of division changes: any chain of renames, mergers
into a unit that keeps its code, splits, abolitions, creations, code changes and moves to another county, seen through
editions taken at any dates. The library made from the editions and the crosswalk says,
for every code on every date, what the world says; every successor is named; the crosswalk
of a consistent world passes its checks, and one missing entry is found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from stdhub.standards import crosswalkcheck as cc
from stdhub.standards import divisions as dv
from stdhub.standards.model import Located

COUNTY = "430102"
START = dt.date(2010, 1, 1)


@dataclass
class Unit:
    name: str
    start: str = ""  # "" = before anything recorded
    end: str = ""
    successors: list[str] = field(default_factory=list)


@dataclass
class World:
    units: dict[str, Unit]  # every code that ever existed
    changes: list[dict[str, Any]]
    editions: list[tuple[str, dt.date, dict[str, str]]]  # id, date, code -> name

    def valid(self, code: str, day: str) -> bool:
        u = self.units[code]
        return (not u.start or u.start <= day) and (not u.end or day < u.end)

    def crosswalk(self, changes: list[dict[str, Any]] | None = None) -> dv.Crosswalk:
        return dv.Crosswalk.from_dict(
            {
                "id": "CW-T",
                "title": "测试",
                "code_lists": ["CL-T"],
                "editions": [
                    {"id": i, "date": d.isoformat(), "levels": [4]} for i, d, _ in self.editions
                ],
                "changes": self.changes if changes is None else changes,
            },
            Located("cw.yaml"),
        )

    def view(self) -> dv.View:
        return {
            i: {c: dv.Row(c, n, 4, c[:6]) for c, n in snapshot.items()}
            for i, _, snapshot in self.editions
        }


STEPS = (
    "rename",
    "merge",
    "split",
    "split-keep",
    "abolish",
    "create",
    "recode",
    "move",
    "edition",
)
OTHER = "430103"  # the county a township moves to (its code changes with its parent)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """Two counties' townships through up to 14 steps; an edition is taken at any step and
    always at the end."""
    n = draw(st.integers(1, 5))
    alive = {f"{COUNTY}{i:03d}": f"乡{i}" for i in range(1, n + 1)}
    units = {c: Unit(name) for c, name in alive.items()}
    counter = iter(range(n + 1, 999))
    changes: list[dict[str, Any]] = []
    editions: list[tuple[str, dt.date, dict[str, str]]] = []
    day = START
    steps = [*draw(st.lists(st.sampled_from(STEPS), max_size=14)), "edition"]

    def side(code: str) -> dict[str, str]:
        return {"code": code, "name": alive.get(code) or units[code].name}

    def new_code(county: str = COUNTY) -> str:
        code = f"{county}{next(counter):03d}"
        alive[code] = units.setdefault(code, Unit(f"新{code[-3:]}")).name
        units[code].start = day.isoformat()
        return code

    def end(code: str, successors: list[str]) -> None:
        units[code].end, units[code].successors = day.isoformat(), successors
        del alive[code]

    for step in steps:
        day += dt.timedelta(days=draw(st.integers(1, 500)))
        when = day.isoformat()
        if step == "edition":
            editions.append((f"E{len(editions) + 1}", day, dict(alive)))
            continue
        if step == "create":
            changes.append({"date": when, "kind": "新设", "new": [side(new_code())]})
            continue
        if not alive:
            continue
        a = draw(st.sampled_from(sorted(alive)))
        old = side(a)
        if step == "rename":
            alive[a] = units[a].name = f"{units[a].name}更"
            changes.append({"date": when, "kind": "更名", "old": [old], "new": [side(a)]})
        elif step == "merge" and len(alive) > 1:
            b = draw(st.sampled_from(sorted(set(alive) - {a})))
            end(a, [b])
            changes.append({"date": when, "kind": "合并", "old": [old], "new": [side(b)]})
        elif step in ("split", "split-keep"):
            parts = [new_code() for _ in range(1 if step == "split-keep" else 2)]
            if step == "split-keep":
                changes.append(
                    {"date": when, "kind": "拆分", "old": [old], "new": [old, side(parts[0])]}
                )
            else:
                end(a, parts)
                changes.append(
                    {"date": when, "kind": "拆分", "old": [old], "new": [side(p) for p in parts]}
                )
        elif step == "abolish":
            end(a, [])
            changes.append({"date": when, "kind": "撤销", "old": [old]})
        elif step in ("recode", "move"):
            b = new_code(OTHER if step == "move" else a[:6])
            alive[b] = units[b].name = units[a].name
            end(a, [b])
            kind = "变更隶属" if step == "move" else "变更代码"
            changes.append({"date": when, "kind": kind, "old": [old], "new": [side(b)]})
    return World(units, changes, editions)


def _days(world: World) -> list[str]:
    """Every date something happened, the day before each, and a day after all."""
    days = {dt.date.fromisoformat(c["date"]) for c in world.changes}
    days |= {d for _, d, _ in world.editions}
    probes = {d + dt.timedelta(days=k) for d in days for k in (-1, 0)} | {START}
    probes.add(max(probes) + dt.timedelta(days=1))
    return sorted(p.isoformat() for p in probes)


def _lib_valid(d: dv.Division, day: str) -> bool:
    return (not d.valid_from or d.valid_from <= day) and (not d.valid_until or day < d.valid_until)


def _problems(world: World, changes: list[dict[str, Any]] | None = None) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    cw = world.crosswalk(changes)

    def add(code: str, file: str, path: tuple, message: str, hint: str) -> None:
        found.append((code, message))

    cc._entries(cw, add)
    cc._between_editions(cw, world.view(), add)
    cc._against_editions(cw, world.view(), add)
    return found


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_validity_per_code_on_every_date_is_the_worlds(world: World) -> None:
    library = dv.history(world.view(), world.crosswalk())
    assert set(library) == set(world.units)
    for day in _days(world):
        for code, d in library.items():
            assert _lib_valid(d, day) == world.valid(code, day), (code, day, d)


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_every_successor_is_named_and_editions_are_the_snapshots(world: World) -> None:
    library = dv.history(world.view(), world.crosswalk())
    for code, unit in world.units.items():
        d = library[code]
        assert d.successors == unit.successors, code
        assert d.editions == [i for i, _, snap in world.editions if code in snap]
        shown = [snap[code] for _, _, snap in world.editions if code in snap]
        if shown:
            assert d.name == shown[-1]


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_a_consistent_crosswalk_passes_and_a_missing_entry_is_found(world: World) -> None:
    assert _problems(world) == []
    # drop the one entry that makes a code disappear between two editions: X015 names it
    pairs = list(zip(world.editions, world.editions[1:], strict=False))
    for i, change in enumerate(world.changes):
        kept = {s["code"] for s in change.get("new", [])}
        gone = [s["code"] for s in change.get("old", []) if s["code"] not in kept]
        day = dt.date.fromisoformat(change["date"])
        for code in gone:
            if any(b[1] < day <= a[1] and code in b[2] and code not in a[2] for b, a in pairs):
                found = _problems(world, world.changes[:i] + world.changes[i + 1 :])
                assert any(c == "X015" and m.startswith(f"{code} ") for c, m in found), found
                return


def test_a_split_with_one_part_and_a_merger_without_its_unit_are_x018() -> None:
    world = World({}, [], [("E1", START, {})])
    found = _problems(
        world,
        [
            {
                "date": "2011-01-01",
                "kind": "拆分",
                "old": [{"code": "430102001", "name": "甲"}],
                "new": [{"code": "430102002", "name": "乙"}],
            },
            {"date": "2011-01-01", "kind": "合并", "old": [{"code": "430102003", "name": "丙"}]},
        ],
    )
    assert [c for c, _ in found if c == "X018"] == ["X018", "X018"]


@settings(max_examples=100, deadline=None)
@given(worlds())
def test_the_d025_message_names_every_successor(world: World) -> None:
    """What the data check says of each code used after it ended, from the library made
    of the world: every successor by code and name, and the date."""
    from stdhub.datasets.validity import message
    from stdhub.standards.model import Code, CodeList

    library = dv.history(world.view(), world.crosswalk())
    codes = []
    for d in library.values():
        deprecated = None
        if d.valid_until:
            deprecated = {"since": d.valid_until, "reason": d.reason}
            if d.successors:
                deprecated["replaced_by"] = " ".join(d.successors)
        codes.append(Code(d.code, d.name, deprecated=deprecated, valid_from=d.valid_from or None))
    cl = CodeList("CL-T", "测试", codes)
    for code in (c for c in codes if c.deprecated):
        said = message(code, cl, "2099-01")
        assert f"停用日期 {code.deprecated['since']}" in said
        for successor in world.units[code.code].successors:
            assert f"{successor} {library[successor].name}" in said, said
        if not world.units[code.code].successors:
            assert "请改用" not in said
