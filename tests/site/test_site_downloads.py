"""Machine-readable downloads: JSON Schema and Table Schema from the data elements, code list
CSV; checked with the real jsonschema and frictionless."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from frictionless import Resource, Schema

from stdhub.site import downloads
from stdhub.standards import formats


@pytest.fixture
def std(fixture_catalogue):
    return fixture_catalogue.standards["HNMZ/T 9001-2025"]


def test_json_schema_is_valid_and_checks_rows(fixture_catalogue, std) -> None:
    schema = formats.json_schema(fixture_catalogue, std, formats.sole_record(std))
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    good = {"full_name": "张三", "assistance_type": "01", "amount": 500, "division_code": "430102"}
    assert not list(v.iter_errors(good))
    assert schema["required"] == ["full_name", "assistance_type", "division_code"]
    bad = {"full_name": "张三", "assistance_type": "09", "amount": -1, "division_code": "4301"}
    messages = " ".join(e.message for e in v.iter_errors(bad))
    assert "'09' is not one of" in messages  # deprecated codes are not valid in new data
    assert "less than the minimum" in messages and "too short" in messages
    assert "个人信息" in schema["properties"]["full_name"]["description"]


def test_table_schema_validates_a_csv_with_frictionless(fixture_catalogue, std, tmp_path) -> None:
    descriptor = formats.table_schema(fixture_catalogue, std, formats.sole_record(std))
    schema = Schema.from_descriptor(descriptor)  # raises on an invalid descriptor
    assert descriptor["primaryKey"] == ["full_name"]
    rows = "full_name,assistance_type,amount,division_code\n张三,01,500,430102\n李四,07,-5,43\n"
    data = tmp_path / "rows.csv"
    data.write_text(rows, encoding="utf-8")
    report = Resource(path="rows.csv", basepath=str(tmp_path), schema=schema).validate()
    errors = {(e.row_number, e.field_name, e.type) for e in report.tasks[0].errors}
    assert (3, "assistance_type", "constraint-error") in errors
    assert (3, "amount", "constraint-error") in errors
    assert (3, "division_code", "constraint-error") in errors
    assert not {e for e in errors if e[0] == 2}


def test_files_for_a_data_standard(fixture_catalogue, std) -> None:
    files = downloads.files_for(fixture_catalogue, std, fixture_catalogue.defined_code_lists(std))
    assert set(files) == {
        "standard.yaml",
        "standard.json",
        "schema.json",
        "tableschema.json",
        "codes/CL-HNMZ-9001X.csv",
        "codes/CL-HNMZ-9100.csv",
    }
    assert json.loads(files["standard.json"])["id"] == "HNMZ/T 9001-2025"
    rows = list(csv.DictReader(io.StringIO(files["codes/CL-HNMZ-9001X.csv"])))
    assert rows[-1] == {
        "code": "09",
        "name": "农村五保",
        "description": "",
        "deprecated_since": "2025-01-01",
        "deprecated_reason": "并入特困人员救助供养。",
        "replaced_by": "02",
    }


def test_service_guides_have_no_schemas(fixture_catalogue) -> None:
    std = fixture_catalogue.standards["HNMZ/T 9002-2024"]
    assert set(downloads.files_for(fixture_catalogue, std, [])) == {
        "standard.yaml",
        "standard.json",
    }
