"""The shared failing inputs `tests/fixtures/cases/personal-*`, each with its right value.

Each case is copied over a scratch project (the repository's standards, docs and
mkdocs.yml, built once beforehand), then `stdhub validate` and `stdhub build` run as a
user runs them. Planted cases: every planted row is reported with its code, the build
fails and leaves `build/` byte-identical, and no planted number is in any file under
`build/` (raw bytes, every SQLite cell, every full-text index term). The look-alike case
publishes, its cells whole in SQLite.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from stdhub.cli import cli
from stdhub.personal import find_all
from stdhub.personal.normalize import fold

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "fixtures" / "cases"  # copied into the repository (README there)
TODAY = "2026-11-28"


def _case(name: str) -> Path:
    return CASES / name


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the shipped standards and no datasets, built once."""
    root = tmp_path_factory.mktemp("baseline")
    shutil.copytree(ROOT / "standards", root / "standards")
    shutil.copytree(ROOT / "docs", root / "docs")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for rel in ("src/stdhub/site/mkdocs_hook.py", "src/stdhub/site/theme"):
        config = config.replace(rel, str(ROOT / rel))
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--project", str(root), "--today", TODAY])
    assert result.exit_code == 0, result.output
    return root


def _project(baseline: Path, case: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(baseline, root, symlinks=True)
    shutil.copytree(case, root, dirs_exist_ok=True)
    return root


def _run(root: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, [*args, "--today", TODAY])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _planted(case: Path) -> tuple[set[str], set[str]]:
    """(the numbers hidden in the case's cells, the cells that hold them as written)."""
    numbers, cells = set(), set()
    for path in case.rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    hits = find_all(cell)
                    numbers |= {h.number for h in hits}
                    cells |= {cell for h in hits}
    return numbers, cells


def _published_texts(build: Path) -> list[str]:
    """Every file under build/ as text, plus every SQLite cell and full-text index term."""
    texts = []
    for path in build.rglob("*"):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        texts.append(raw.decode("utf-8", "replace"))
        if raw.startswith(b"SQLite format 3\x00"):
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            tables = [
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            for t in tables:
                for row in con.execute(f'SELECT * FROM "{t}"'):
                    texts.extend(str(v) for v in row if v is not None)
                if t.endswith("_fts"):
                    con.execute(f"CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, '{t}', 'row')")
                    texts.extend(r[0] for r in con.execute("SELECT term FROM temp.v"))
                    con.execute("DROP TABLE temp.v")
            con.close()
    return texts


def _assert_nothing_planted_in(build: Path, case: Path) -> None:
    numbers, cells = _planted(case)
    assert numbers  # the case does plant something
    for text in _published_texts(build):
        digits = "".join(c for c in fold(text) if c.isdigit() or c in "Xx").upper()
        for number in numbers:
            assert number not in text and number not in digits, (number, text[:80])
        for cell in cells:
            assert cell not in text


# case -> {(row, field): code}: the right value named in tests/fixtures/cases/README.md
PLANTED = {
    "personal-id-formats": {
        "datasets/bh-pfmt/data/notes.csv": {
            (2, "remark"): "P001",  # 15-digit old number
            (3, "remark"): "P001",  # grouped with spaces
            (4, "remark"): "P001",  # grouped with hyphens
            (5, "remark"): "P001",  # full-width digits
            (6, "remark"): "P002",  # full-width mobile
            (7, "remark"): "P001",  # full-width ｘ
        }
    },
    "personal-numeric-columns": {
        "datasets/bh-pint/data/recipients.csv": {
            (2, "contact_phone"): "P002",
            (3, "contact_phone"): "P002",
            (2, "holder_id"): "P001",
            (3, "holder_id"): "P001",
        }
    },
    "personal-integer-columns": {
        "datasets/pii-int/data/rows.csv": {
            (2, "idno"): "P001",
            # row 3's idno 430102198001011234 has a wrong check character: not an ID number
            (2, "mobile"): "P002",
            (3, "mobile"): "P002",
            (2, "card"): "P003",
            (3, "card"): "P003",
        }
    },
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_case_is_refused_and_nothing_reaches_build(
    name: str, baseline: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _case(name)
    root = _project(baseline, case, tmp_path)
    code, output = _run(root, "validate", monkeypatch=monkeypatch)
    assert code == 1
    found: dict[str, dict[tuple[int, str], str]] = {}
    for line in output.splitlines():
        parts = line.split(": ", 2)
        if len(parts) < 3 or parts[1][:4] not in ("P001", "P002", "P003"):
            continue
        file, row, _ = parts[0].rsplit(":", 2)
        code_, field = parts[1].split(" ")[0], parts[1].split(" ")[1].removeprefix("$.")
        found.setdefault(file, {})[(int(row), field)] = code_
    assert found == PLANTED[name], output
    numbers, _ = _planted(case)
    for number in numbers:  # messages show numbers masked only
        assert number not in output
    before = _tree_digest(root / "build")
    code, output = _run(root, "build", "--project", str(root), monkeypatch=monkeypatch)
    assert code == 1
    assert _tree_digest(root / "build") == before
    _assert_nothing_planted_in(root / "build", case)


def test_look_alikes_publish_whole(
    baseline: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _case("personal-false-positives")
    root = _project(baseline, case, tmp_path)
    code, output = _run(root, "validate", monkeypatch=monkeypatch)
    assert code == 0 and " P00" not in output, output
    descriptor = root / "datasets/pfp/datapackage.yaml"  # and the page says which fields carry them
    declared = "  public_contact:\n  - {resource: landline-extension, field: phone, reason: 福利院对外公布的总机}\n"
    descriptor.write_text(
        descriptor.read_text(encoding="utf-8") + "personal_data:\n" + declared, encoding="utf-8"
    )
    code, output = _run(root, "build", "--project", str(root), monkeypatch=monkeypatch)
    assert code == 0, output
    con = sqlite3.connect(root / "build/data/pfp.db")
    phones = [r[0] for r in con.execute('SELECT phone FROM "landline-extension"')]
    paths = [r[0] for r in con.execute('SELECT filePath FROM "camtrap-media-uuid-url"')]
    assert phones == ["0731-85270514-8476", "0731-84411234-8001"]
    assert paths == [
        "https://multimedia.agouti.eu/assets/b8690a15-652a-4f08-9562-1797671410b8/file"
    ]
    page = (root / "build/site/opendata/pfp/index.html").read_text(encoding="utf-8")
    row = next(r for r in page.split("<tr>") if "<code>phone</code>" in r)
    assert "机构公开联系方式" in row and "福利院对外公布的总机" in row
    other = next(r for r in page.split("<tr>") if "<code>name</code>" in r)
    assert "机构公开联系方式" not in other
