"""Data Package v2 writes `null` for an optional property left empty (`"spatial": null` in
the official examples): stdhub accepts it where frictionless does, and where frictionless
refuses it the message quotes the author's `null`, never Python's `None` (issue 20)."""

from __future__ import annotations

import json

import pytest

from stdhub.datasets.check import check_datasets

PORTAL = ("spatial", "temporal", "publisher", "contact", "domain", "update_frequency")


def _write(tmp_path, **extra) -> None:
    folder = tmp_path / "datasets" / "n"
    folder.mkdir(parents=True)
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "n",
        "access": "无条件开放",
        **extra,
        "resources": [{"name": "t", "path": "t.csv"}],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")
    (folder / "t.csv").write_text("a\nx\n", encoding="utf-8")


@pytest.mark.parametrize("key", PORTAL)
def test_null_portal_properties_are_absent_ones(key, catalogue, tmp_path) -> None:
    _write(tmp_path, **{key: None})
    _, report = check_datasets(tmp_path / "datasets", catalogue, tmp_path)
    assert report.ok, report.as_text()
    assert "None" not in report.as_text()


@pytest.mark.parametrize("key", ["homepage", "keywords", "licenses", "version"])
def test_a_null_frictionless_refuses_is_quoted_as_null(key, catalogue, tmp_path) -> None:
    _write(tmp_path, **{key: None})
    _, report = check_datasets(tmp_path / "datasets", catalogue, tmp_path)
    (problem,) = [p for p in report.errors if p.path == f"$.{key}"]
    assert problem.message.startswith("null 的类型不对"), problem.message


def test_a_null_access_is_still_undeclared(catalogue, tmp_path) -> None:
    _write(tmp_path)
    path = tmp_path / "datasets" / "n" / "datapackage.json"
    data = json.loads(path.read_text("utf-8"))
    data["access"] = None
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    _, report = check_datasets(tmp_path / "datasets", catalogue, tmp_path)
    found = [p for p in report.errors if p.code == "D016"]
    assert found and all("None" not in p.message for p in found), report.as_text()
