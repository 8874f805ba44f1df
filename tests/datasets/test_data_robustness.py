"""Mangled descriptors and cells give problems, never tracebacks (seeded, so reproducible).

Each case replaces or deletes one to three values anywhere in a clean descriptor (with
wrong types, empty values, unsafe paths, NUL characters…) and sometimes one cell, then
checks the package and, for some, builds it. A crash here is a bug in stdhub; frictionless
failing on a descriptor it accepted is caught and reported as D017.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from data_helpers import MARRIAGE_HEADER, MARRIAGE_ROWS, csv_text, marriage_descriptor

from stdhub.datasets.build import build_data
from stdhub.datasets.check import check_package
from stdhub.errors import DataBuildFailed

CASES = 120
VALUES: list[Any] = [
    None,
    1,
    -1,
    0.5,
    True,
    "",
    "x",
    [],
    {},
    [1],
    {"a": 1},
    "../x",
    "/etc/passwd",
    "有条件开放",
    [""],
    "a\x00b",
    "9" * 30,
]


def _paths(d: Any, prefix: tuple = ()) -> Iterator[tuple]:
    if prefix:
        yield prefix
    if isinstance(d, dict):
        for k, v in d.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield from _paths(v, (*prefix, i))


def _mutate(d: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    d = copy.deepcopy(d)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(list(_paths(d)))
        target = d
        for key in path[:-1]:
            target = target[key]
        if isinstance(target, dict) and rng.random() < 0.2:
            del target[path[-1]]
        else:
            target[path[-1]] = copy.deepcopy(rng.choice(VALUES))
    return d


@pytest.mark.parametrize("seed", range(CASES))
def test_mangled_package_never_crashes(seed: int, catalogue, tmp_path) -> None:
    rng = random.Random(seed)
    folder = tmp_path / "datasets/m"
    (folder / "data").mkdir(parents=True)
    descriptor = _mutate(marriage_descriptor(catalogue), rng)
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False), encoding="utf-8"
    )
    rows = [list(r) for r in MARRIAGE_ROWS]
    if rng.random() < 0.3:
        rows[rng.randrange(len(rows))][rng.randrange(4)] = rng.choice(
            ["", "x", "1.5", "中", "9" * 30]
        )
    (folder / "data/monthly.csv").write_text(csv_text(MARRIAGE_HEADER, rows), encoding="utf-8")
    _, report = check_package(folder, catalogue, tmp_path)
    assert all(p.code[0] in "DQPFYS" for p in report.problems)
    if seed % 4 == 0:
        try:
            build_data(tmp_path, catalogue, out=tmp_path / "build/data")
        except DataBuildFailed as failed:
            assert not failed.report.ok
