"""The cases `uscc-not-a-card` and `decimals-not-mobiles` (tests/fixtures/cases/): valid
统一社会信用代码 and long decimals are not personal data. Both datasets go into one
project beside the shipped standards; `stdhub validate` reports no P00x and `stdhub build`
publishes every cell whole in SQLite."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from stdnum.cn import uscc

from stdhub import addresses
from stdhub.cli import cli

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests/fixtures/cases"
TODAY = "2026-12-06"
DATASETS = {  # folder -> resource -> its CSV in the case
    "elderly-care-directory-2026": {
        "institutions": "uscc-not-a-card/datasets/elderly-care-directory-2026/data/institutions.csv"
    },
    "decimals-not-mobiles": {
        "points": "decimals-not-mobiles/datasets/decimals-not-mobiles/points.csv"
    },
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    root = tmp_path_factory.mktemp("precision")
    shutil.copytree(ROOT / "standards", root / "standards")
    shutil.copytree(ROOT / "docs", root / "docs")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for rel in ("src/stdhub/site/mkdocs_hook.py", "src/stdhub/site/theme"):
        config = config.replace(rel, str(ROOT / rel))
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for case in ("uscc-not-a-card", "decimals-not-mobiles"):
        shutil.copytree(CASES / case / "datasets", root / "datasets", dirs_exist_ok=True)
    runner = CliRunner()
    validated = runner.invoke(
        cli, ["validate", "--root", str(root / "standards"), "--today", TODAY]
    )
    result = runner.invoke(cli, ["build", "--project", str(root), "--today", TODAY])
    assert "Traceback" not in validated.output + result.output
    assert result.exit_code == 0, result.output
    return root, validated.output, result.output


def test_the_case_inputs_are_what_they_claim() -> None:
    path = CASES / DATASETS["elderly-care-directory-2026"]["institutions"]
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    codes = [r["institution_code"] for r in rows]
    assert codes and all(uscc.is_valid(c) for c in codes)
    assert any(c[-1].isalpha() for c in codes) and any(c.isdigit() for c in codes)


def test_both_publish_without_a_personal_data_problem(built: tuple[Path, str, str]) -> None:
    _, validated, output = built
    assert not any(f" P00{n}" in validated + output for n in range(1, 7))


@pytest.mark.parametrize(("folder", "resource"), [(f, r) for f, rs in DATASETS.items() for r in rs])
def test_every_cell_is_published_whole(
    built: tuple[Path, str, str], folder: str, resource: str
) -> None:
    root, _, _ = built
    with (CASES / DATASETS[folder][resource]).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    conn = sqlite3.connect(f"file:{root / 'build/data' / folder}.db?mode=ro", uri=True)
    try:
        for column in rows[0]:
            stored = [
                r[0] for r in conn.execute(f'SELECT "{column}" FROM "{resource}" ORDER BY rowid')
            ]
            written = [r[column] for r in rows]
            as_text = [
                "" if v is None else (repr(v) if isinstance(v, float) else str(v)) for v in stored
            ]
            assert as_text == written or [float(v) for v in written if v] == [
                v for v in stored if v is not None
            ], column
    finally:
        conn.close()


def test_a_register_without_dates_shows_its_figures_without_a_trend(
    built: tuple[Path, str, str],
) -> None:
    """Every 开办日期 of the case is blank: the county page still shows the register's
    figures (count and beds read from the case), and no trend of no years."""
    root, _, _ = built
    with (CASES / DATASETS["elderly-care-directory-2026"]["institutions"]).open(
        encoding="utf-8"
    ) as f:
        rows = [r for r in csv.DictReader(f) if r["county_code"] == "430525"]
    assert rows and not any(r["opened_date"] for r in rows)
    page = root / "build/site" / addresses.division("430525") / "index.html"
    html = page.read_text(encoding="utf-8")
    block = html.split('data-dataset="elderly-care-directory-2026"', 1)[1].split("</div>\n", 3)
    block_html = "".join(block[:3])
    assert f'data-figure="count" data-split="" data-value="{len(rows)}"' in block_html
    beds = sum(int(r["beds"]) for r in rows)
    assert f'data-value="{beds}"' in block_html
    assert 'id="trend-elderly-care-directory-2026-institutions"' not in html
