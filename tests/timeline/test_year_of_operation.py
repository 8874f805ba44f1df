"""A year of operation: the staff handbook (docs/handbook.md) performed step by step on
the shipped project, on its dates, with `stdhub build --today` on each; after every build,
each table in the handbook (what readers see of each affected standard: its status in the
catalogue, catalogue.json/.csv and on its page, the banners on its page, the marks in the
lists, its place in the 复审 view) is checked against the site that was built. The
handbook is the one source: its YAML edits and commands are what this test runs."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from timeline_helpers import (
    REPO,
    catalogue_csv,
    catalogue_json,
    catalogue_page,
    list_marks,
    make_project,
    page_status,
)

from stdhub.cli import cli
from stdhub.standards.model import slug

HANDBOOK = REPO / "docs" / "handbook.md"
NONE = "—"
_FENCE = re.compile(r'^```(\w+)(?: title="([^"]*)")?\n(.*?)^```\n', re.S | re.M)
_BANNER_TITLE = re.compile(
    r'<div class="admonition[^"]*"([^>]*)>\s*<p class="admonition-title">([^<]*)</p>'
)


@dataclass
class Step:
    heading: str
    day: str
    actions: list[tuple[str, str, str]]  # (kind, title, body): yaml / bash / table


def steps(text: str) -> list[Step]:
    """The dated steps of the handbook (`### YYYY-MM-DD …`), each with its YAML edits,
    commands and tables in the order written."""
    out = []
    for part in re.split(r"^### ", text, flags=re.M)[1:]:
        heading, _, body = part.partition("\n")
        day = re.match(r"(\d{4}-\d\d-\d\d) ", heading)
        if not day:
            continue
        actions: list[tuple[str, str, str]] = []
        pos = 0
        for m in _FENCE.finditer(body):
            actions += _tables(body[pos : m.start()])
            actions.append((m[1], m[2] or "", m[3]))
            pos = m.end()
        actions += _tables(body[pos:])
        out.append(Step(heading.strip(), day[1], actions))
    return out


def _tables(text: str) -> list[tuple[str, str, str]]:
    tables = re.findall(r"^\| 标准 \|.*?\n(?:\|.*\n?)+", text, re.M)
    return [("table", "", t) for t in tables]


def _rows(table: str) -> list[list[str]]:
    lines = [line.strip().strip("|") for line in table.strip().splitlines()[2:]]
    return [[c.strip() for c in line.split("|")] for line in lines]


def _edit(project: Path, title: str, body: str) -> None:
    path_text, _, how = title.partition("：")
    path = project / path_text
    if how == "把第一行改为第二行":
        old, new = body.rstrip("\n").split("\n")
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (title, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
        return
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    snippet = yaml.safe_load(body)
    if how == "改写这些字段":
        for key, value in snippet.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
    elif how == "在 history 末尾加上":
        data["history"].extend(snippet)
    else:
        raise AssertionError(f"unknown edit: {title}")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _run(project: Path, body: str) -> list[str]:
    """Each command of a bash block; returns the output of each."""
    outputs = []
    for line in body.strip().splitlines():
        words = shlex.split(line)
        if words[0] == "cp":
            shutil.copyfile(project / words[1], project / words[2])
            continue
        assert words[0] == "stdhub", line
        result = CliRunner().invoke(cli, words[1:])
        assert result.exit_code == 0, (line, result.output)  # green, warnings allowed
        outputs.append(result.output)
    return outputs


def _seen(site: Path, sid: str) -> list[str]:
    """What the built site shows of `sid`: [status, banners, list mark, 复审]."""
    name = slug(sid)
    statuses = {
        "catalogue page": catalogue_page(
            (site / "catalogue/index.html").read_text(encoding="utf-8")
        )[sid],
        "catalogue.json": catalogue_json((site / "catalogue.json").read_text(encoding="utf-8"))[
            sid
        ],
        "catalogue.csv": catalogue_csv((site / "catalogue.csv").read_text(encoding="utf-8"))[sid],
        "page": page_status((site / "standards" / name / "index.html").read_text(encoding="utf-8")),
    }
    assert len(set(statuses.values())) == 1, (sid, statuses)
    page = (site / "standards" / name / "index.html").read_text(encoding="utf-8")
    titles = [t for attrs, t in _BANNER_TITLE.findall(page) if " hidden" not in attrs]
    marks = set()
    for path in (site / "lists").rglob("index.html"):
        found = list_marks(path.read_text(encoding="utf-8"))
        if name in found:
            marks.add(found[name])
    assert len(marks) <= 1, (sid, marks)  # every list citing it marks it alike
    due = {
        d["id"]: d["due"]
        for d in json.loads((site / "review/due.json").read_text(encoding="utf-8"))["standards"]
    }
    review = NONE if sid not in due else ("应当复审" if due[sid] else "列入")
    return [
        statuses["page"],
        "；".join(titles) or NONE,
        (marks.pop() or NONE) if marks else NONE,
        review,
    ]


def test_the_handbook_has_a_year_of_dated_steps() -> None:
    found = steps(HANDBOOK.read_text(encoding="utf-8"))
    builds = [
        line
        for s in found
        for kind, _, body in s.actions
        if kind == "bash"
        for line in body.splitlines()
        if line.startswith("stdhub build --today ")
    ]
    assert len({b.split()[-1] for b in builds}) >= 12
    assert all(b == f"stdhub build --today {s.day}" for s in found for b in builds if s.day in b)
    assert [s.day for s in found] == sorted(s.day for s in found)
    assert all(any(k == "table" for k, _, _ in s.actions) for s in found)


@pytest.mark.slow
def test_a_year_of_operation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "project", overlays=())
    monkeypatch.chdir(project)
    built = None
    checked = 0
    warnings: dict[str, str] = {}
    for step in steps(HANDBOOK.read_text(encoding="utf-8")):
        for kind, title, body in step.actions:
            if kind == "yaml":
                _edit(project, title, body)
            elif kind == "bash":
                for line, output in zip(
                    [x for x in body.strip().splitlines() if x.startswith("stdhub")],
                    _run(project, body),
                    strict=True,
                ):
                    warnings[f"{step.day} {line}"] = output
                    built = step.day if line.startswith("stdhub build") else built
            elif kind == "table":
                assert built, f"{step.heading}: a table before any build"
                for sid, *expected in _rows(body):
                    seen = _seen(project / "build" / "site", sid)
                    assert seen == expected, (step.heading, built, sid)
                    checked += 1
    assert checked >= 20
    # the days a list cites a standard no longer in force, validate names the item (W010)
    assert "W010" in warnings["2027-06-01 stdhub validate --today 2027-06-01"]
    assert (
        "GG-009 民政标准公开和意见征集" in warnings["2027-06-01 stdhub validate --today 2027-06-01"]
    )
    assert "W010" not in warnings["2027-06-02 stdhub validate --today 2027-06-02"]
    assert "QL-GF-004" in warnings["2027-09-30 stdhub validate --today 2027-09-30"]
