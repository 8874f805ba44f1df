"""Downloads are exported from the published database, and the data package validates."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import zipfile

import pytest

from stdhub.opendata.downloads import NotPublishable, write_downloads


@pytest.fixture(scope="module")
def downloads(data_manifest, build_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("downloads")
    files = write_downloads(
        data_manifest.dataset("assist-monthly"), build_data / "assist-monthly.db", out
    )
    return out, files


def test_files_offered(downloads):
    out, files = downloads
    assert [f.file for f in files] == [
        "monthly.csv",
        "monthly.json",
        "monthly.xlsx",
        "CL-HNMZ-0101.csv",
        "CL-HNMZ-0101.xlsx",
        "CL-HNMZ-JZLB.csv",
        "CL-HNMZ-JZLB.xlsx",
        "CL-HNMZ-0103.csv",
        "CL-HNMZ-0103.xlsx",
        "datapackage.json",
        "assist-monthly.zip",
    ]
    assert all(f.size == (out / f.file).stat().st_size > 0 for f in files)


def test_csv_is_utf8_and_holds_the_source_rows(downloads, source_rows):
    out, _ = downloads
    raw = (out / "monthly.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with (out / "monthly.csv").open(encoding="utf-8", newline="") as f:
        got = list(csv.DictReader(f))
    assert len(got) == len(source_rows)
    assert [r["town_name"] for r in got] == [r["town_name"] for r in source_rows]
    assert sum(int(r["persons"]) for r in got) == sum(r["persons"] for r in source_rows)


def test_json_holds_the_source_rows(downloads, source_rows):
    out, _ = downloads
    got = json.loads((out / "monthly.json").read_text(encoding="utf-8"))
    assert got == source_rows


def test_data_package_links_files_and_zip_holds_them(downloads):
    out, _ = downloads
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert all("data" not in r for r in package["resources"])  # linked, never inlined
    assert [r["path"] for r in package["resources"]] == [
        "monthly.csv",
        "CL-HNMZ-0101.csv",
        "CL-HNMZ-JZLB.csv",
        "CL-HNMZ-0103.csv",
    ]
    with zipfile.ZipFile(out / "assist-monthly.zip") as zf:
        assert sorted(zf.namelist()) == sorted(
            ["datapackage.json", *(r["path"] for r in package["resources"])]
        )


def _frictionless(*args):
    return subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_frictionless_validate_passes_on_the_package_and_the_zip(downloads, tmp_path):
    out, _ = downloads
    done = _frictionless(str(out / "datapackage.json"))
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["valid"], done.stdout[-3000:]
    assert {t["name"] for t in report["tasks"]} == {
        "monthly",
        "cl-hnmz-0101",
        "cl-hnmz-jzlb",
        "cl-hnmz-0103",
    }
    with zipfile.ZipFile(out / "assist-monthly.zip") as zf:
        zf.extractall(tmp_path / "unzipped")
    done = _frictionless(str(tmp_path / "unzipped" / "datapackage.json"))
    assert done.returncode == 0 and json.loads(done.stdout)["valid"], done.stdout[-3000:]


def test_frictionless_catches_a_broken_foreign_key(downloads, tmp_path):
    """The check above could fail: a county code missing from its code table is an error."""
    out, _ = downloads
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in out.iterdir():
        if f.suffix in (".csv", ".json") and f.name != "monthly.json":
            text = f.read_text(encoding="utf-8")
            if f.name == "CL-HNMZ-0101.csv":
                text = "\n".join(
                    line for line in text.splitlines() if not line.startswith("430121")
                )
            (broken / f.name).write_text(text, encoding="utf-8")
    done = _frictionless(str(broken / "datapackage.json"))
    assert done.returncode != 0
    assert "foreign-key" in done.stdout


def test_conditional_dataset_has_no_downloads(data_manifest, build_data, tmp_path):
    with pytest.raises(NotPublishable):
        write_downloads(data_manifest.dataset("assist-cases"), build_data / "none.db", tmp_path)
    assert not any(tmp_path.iterdir())
