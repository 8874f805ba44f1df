"""The columnar engine reports exactly what frictionless reports, on a corpus of bad rows.

Each row below breaks (or only bends) one rule; both engines check the same files and
must produce the same problems — same rows, fields, codes and messages — both when the
columnar engine judges columns by their distinct values and when it screens them
vectorised (forced with a distinct-value limit of 0).
"""

from __future__ import annotations

import copy
import csv
import io
from pathlib import Path

import pytest

from stdhub.datasets import columnar, reference
from stdhub.datasets.issues import Context

FIELDS = [
    {"name": "id", "type": "integer", "constraints": {"required": True}},
    {
        "name": "name",
        "type": "string",
        "constraints": {"required": True, "minLength": 2, "maxLength": 8, "unique": True},
    },
    {"name": "county", "type": "string", "constraints": {"pattern": "43[0-9]{4}"}},
    {"name": "kind", "type": "string", "constraints": {"enum": ["01", "02", "03"]}},
    {"name": "amount", "type": "number", "constraints": {"minimum": 0, "maximum": 1000}},
    {"name": "count", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "day", "type": "date", "constraints": {"minimum": "2000-01-01"}},
    {"name": "flag", "type": "boolean"},
    {"name": "parent", "type": "string"},
]
GOOD = ["1", "长沙县", "430121", "01", "12.50", "3", "2024-01-31", "true", "p1"]

# (what is wrong, the cells that differ from GOOD)
CORPUS = [
    ("integer with letters", {"id": "x7"}),
    ("integer with a decimal point", {"count": "1.5"}),
    ("integer with spaces (frictionless strips them)", {"count": " 42 "}),
    ("integer with a plus sign", {"count": "+5"}),
    ("integer with underscores (Python accepts them)", {"count": "1_000"}),
    ("integer in full-width digits (Python accepts them)", {"count": "１２"}),
    ("negative count", {"count": "-3"}),
    ("number in exponent form", {"amount": "1e2"}),
    ("number above its maximum", {"amount": "1000.01"}),
    ("number just at its maximum", {"amount": "1000"}),
    ("number with a unit", {"amount": "12元"}),
    ("number with a thousands separator", {"amount": "1,000"}),
    ("impossible date", {"day": "2021-02-30"}),
    ("date without leading zeros (strptime accepts)", {"day": "2021-1-5"}),
    ("date in another format", {"day": "2021/01/05"}),
    ("date before its minimum", {"day": "1999-12-31"}),
    ("boolean as yes", {"flag": "yes"}),
    ("boolean in capitals", {"flag": "TRUE"}),
    ("missing required value", {"name": ""}),
    ("missing optional value", {"amount": ""}),
    ("text too short", {"name": "长"}),
    ("text too long", {"name": "湘西土家族苗族自治州"}),
    ("pattern mismatch", {"county": "4301"}),
    ("pattern in full-width digits", {"county": "43０１２１"}),
    ("pattern with a trailing newline (Python's $ allows it)", {"county": "430121\n"}),
    ("code outside the list", {"kind": "09"}),
    ("code without its leading zero", {"kind": "1"}),
    ("broken foreign key", {"parent": "p9"}),
    ("empty foreign key (not checked)", {"parent": ""}),
    ("several problems in one row", {"count": "x", "amount": "-1", "kind": "9"}),
    ("quoted newline in a text", {"name": "长沙\n县"}),
]


def _rows() -> list[list[str]]:
    names = [f["name"] for f in FIELDS]
    rows = []
    for i, (_, changes) in enumerate(CORPUS):
        row = list(GOOD)
        row[0] = changes.get("id", str(i + 1))
        row[1] = changes.get("name", f"名{i:02d}")
        for key, value in changes.items():
            if key not in ("id", "name"):
                row[names.index(key)] = value
        rows.append(row)
    rows.append(["3", "重复键", *GOOD[2:]])  # duplicate primary key (id 3)
    rows.append(["200", "名05", *GOOD[2:]])  # duplicate unique name
    rows.append(["201", "名06", *GOOD[2:]])  # and again
    return rows


def _write(folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f["name"] for f in FIELDS])
    writer.writerows(_rows())
    (folder / "data.csv").write_text(out.getvalue(), encoding="utf-8")
    (folder / "parents.csv").write_text("key,label\np1,一\np2,二\n", encoding="utf-8")
    return {
        "name": "corpus",
        "resources": [
            {
                "name": "parents",
                "path": "parents.csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": "key", "type": "string"},
                        {"name": "label", "type": "string"},
                    ],
                    "primaryKey": ["key"],
                },
            },
            {
                "name": "data",
                "path": "data.csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": FIELDS,
                    "primaryKey": ["id"],
                    "foreignKeys": [
                        {
                            "fields": ["parent"],
                            "reference": {"resource": "parents", "fields": ["key"]},
                        }
                    ],
                    "missingValues": [""],
                },
            },
        ],
    }


def _contexts(descriptor: dict) -> dict[str, Context]:
    return {
        r["name"]: Context(
            {f["name"]: f for f in r["schema"]["fields"]},
            {"kind": ("CL-TEST", "测试代码")} if r["name"] == "data" else {},
        )
        for r in descriptor["resources"]
    }


def _columnar(folder: Path, descriptor: dict) -> dict[str, set]:
    contexts = _contexts(descriptor)
    done: dict[str, columnar.Checked] = {}
    for r in descriptor["resources"]:
        raw = (folder / r["path"]).read_bytes()
        assert columnar.unsupported(r, raw) is None
        checked = columnar.check(r, contexts[r["name"]], raw, done)
        assert checked is not None
        done[r["name"]] = checked
    return {name: set(c.issues) for name, c in done.items()}


def _frictionless(folder: Path, descriptor: dict) -> dict[str, set]:
    checked = reference.check_package(
        folder, copy.deepcopy(descriptor), _contexts(descriptor), read=False
    )
    return {name: set(c.issues) for name, c in checked.items()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("corpus")
    return folder, _write(folder)


@pytest.fixture(scope="module")
def judged(corpus) -> dict[str, set]:
    return _frictionless(*corpus)


def test_the_corpus_finds_problems(judged: dict[str, set]) -> None:
    """frictionless finds a problem in most rows: the corpus tests something."""
    codes = {i.code for i in judged["data"]}
    assert codes == {"D007", "D008", "D009", "D010", "D011", "D013"}
    assert len({i.row for i in judged["data"]}) >= 20
    assert not judged["parents"]


@pytest.mark.parametrize("limit", [columnar.UNIQUE_LIMIT, 0], ids=["distinct-values", "screening"])
def test_columnar_reports_what_frictionless_reports(corpus, judged, limit, monkeypatch) -> None:
    monkeypatch.setattr(columnar, "UNIQUE_LIMIT", limit)
    found = _columnar(*corpus)
    for name in judged:
        missing = sorted(judged[name] - found[name])
        extra = sorted(found[name] - judged[name])
        assert not missing and not extra, f"{name}: missed {missing}; extra {extra}"


def test_both_engines_load_the_same_values(corpus, tmp_path, monkeypatch) -> None:
    """On a clean file the typed columns for SQLite agree too (screening path included)."""
    folder, descriptor = corpus
    clean = tmp_path / "clean"
    clean.mkdir()
    rows = [GOOD, ["2", "株洲", "430202", "02", "", " 7 ", "2021-1-5", "FALSE", "p2"]]
    text = ",".join(f["name"] for f in FIELDS) + "\n" + "\n".join(",".join(r) for r in rows) + "\n"
    (clean / "data.csv").write_text(text, encoding="utf-8")
    (clean / "parents.csv").write_text(
        (folder / "parents.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setattr(columnar, "UNIQUE_LIMIT", 0)
    ours = _columnar(clean, descriptor)
    assert ours == {"parents": set(), "data": set()}
    contexts = _contexts(descriptor)
    theirs = reference.check_package(clean, copy.deepcopy(descriptor), contexts)["data"].typed
    mine = columnar.check(
        descriptor["resources"][1],
        contexts["data"],
        (clean / "data.csv").read_bytes(),
        {
            "parents": columnar.check(
                descriptor["resources"][0],
                contexts["parents"],
                (clean / "parents.csv").read_bytes(),
                {},
            )
        },
    ).typed
    for f in FIELDS:
        assert mine[f["name"]].to_pylist() == theirs[f["name"]].to_pylist(), f["name"]
    assert mine["count"].to_pylist() == [3, 7]
    assert mine["day"].to_pylist() == ["2024-01-31", "2021-01-05"]


def test_files_it_cannot_read_alike_go_to_frictionless(corpus) -> None:
    folder, descriptor = corpus
    resource = descriptor["resources"][1]
    good = (folder / "data.csv").read_bytes()
    assert columnar.unsupported(resource, b"id,nom\n1,x\n") == "header differs from the schema"
    assert columnar.unsupported({**resource, "encoding": "gbk"}, good) == "not UTF-8"
    geopoint = {**resource, "schema": {"fields": [{"name": "id", "type": "geopoint"}]}}
    assert columnar.unsupported(geopoint, b"id\n1,2\n").startswith("field type")
    ctx = _contexts(descriptor)["data"]
    for odd in (
        good + b"1,2\n",
        good.replace(b"\n", b"\n\n", 1),
        good + b"\r\n",
        good + b",,,,,,,,\n",
    ):
        assert columnar.unsupported(resource, odd) is None
        assert columnar.check(resource, ctx, odd, {}) is None  # short row, blank line, blank row
