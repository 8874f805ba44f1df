"""Table Schemas generated from data standards: frictionless accepts them, fields conform."""

from __future__ import annotations

import json

from click.testing import CliRunner
from data_helpers import REPO_STANDARDS

from stdhub.cli import cli
from stdhub.datasets.tableschema import differences, schema_for


def test_every_record_of_every_data_standard_gives_a_valid_schema(catalogue) -> None:
    from frictionless import Schema

    count = 0
    for standard in catalogue.standards.values():
        for record in standard.records:
            schema = schema_for(catalogue, standard.id, record.id)
            assert not list(Schema.metadata_validate(schema)), (standard.id, record.id)
            for f in schema["fields"]:
                element = next(
                    e for e in standard.data_elements if (e.name_en or e.id.lower()) == f["name"]
                )
                assert differences(f, element) == []
            count += 1
    assert count >= 10


def test_primary_key_and_required_come_from_the_record(catalogue) -> None:
    schema = schema_for(catalogue, "HNMZ/T 0105-2025")
    assert schema["primaryKey"] == ["stat_month", "county_code", "registration_type_code"]
    cases = schema["fields"][3]
    assert cases == {
        "name": "cases",
        "title": "办理件数",
        "description": "当月办结的该类业务件数（结婚、离婚登记按对计）。（单位：件）",
        "type": "integer",
        "constraints": {"required": True, "minimum": 0},
    }


def test_cli_prints_it_and_refuses_clearly() -> None:
    runner = CliRunner()
    ok = runner.invoke(
        cli, ["table-schema", "HNMZ/T 0105-2025", "HYDJTJ", "--root", str(REPO_STANDARDS)]
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["fields"][1]["name"] == "county_code"
    several = runner.invoke(
        cli, ["table-schema", "HNMZ/T 0102-2025", "--root", str(REPO_STANDARDS)]
    )
    assert several.exit_code == 2 and "XJJZTJ, SQC, SQCDBTJ, JZGA" in several.output
    unknown = runner.invoke(
        cli, ["table-schema", "HNMZ/T 0199-2025", "--root", str(REPO_STANDARDS)]
    )
    assert unknown.exit_code == 2 and "没有数据标准" in unknown.output
    assert "Traceback" not in several.output + unknown.output
