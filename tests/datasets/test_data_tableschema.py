"""Table Schemas generated from data standards: frictionless accepts them, fields conform."""

from __future__ import annotations

import json

from click.testing import CliRunner
from data_helpers import REPO_STANDARDS

from stdhub.cli import cli
from stdhub.datasets.tableschema import differences, schema_for
from stdhub.problems import Report


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


def _published_table_schemas(catalogue) -> list[tuple[str, str | None, str, dict]]:
    """(standard, record or None for all elements, file name, schema) as the site offers them."""
    from stdhub.site.downloads import files_for

    found = []
    for standard in catalogue.standards.values():
        if standard.kind != "数据标准":
            continue
        files = files_for(catalogue, standard, [])
        single = standard.records[0].id if len(standard.records) == 1 else None
        for name, text in files.items():
            if name == "tableschema.json":
                found.append((standard.id, single, name, json.loads(text)))
            elif name.startswith("tableschema-"):
                record = name.removeprefix("tableschema-").removesuffix(".json")
                found.append((standard.id, record, name, json.loads(text)))
    return found


def test_the_site_publishes_schemas_that_pass_our_own_conformance_check(catalogue) -> None:
    from stdhub.datasets.conformance import check_conformance
    from stdhub.datasets.descriptor import Package

    published = _published_table_schemas(catalogue)
    records = {(s.id, r.id) for s in catalogue.standards.values() for r in s.records}
    assert {(std, rec) for std, rec, _, _ in published if rec} == records
    assert len(records) >= 10
    for std_id, _, name, schema in published:
        resource = {"name": "rows", "path": "rows.csv", "schema": schema}
        package = Package(
            name="t",
            folder=REPO_STANDARDS,
            path=REPO_STANDARDS / "datapackage.yaml",
            display=f"{std_id}/{name}",
            data={"conforms_to": [std_id], "resources": [resource]},
            resources=[resource],
        )
        report = Report()
        check_conformance(package, {"rows": schema}, catalogue, report, published=False)
        assert report.problems == [], report.as_text()
        assert len(schema["fields"]) > 0


def test_table_schema_command_prints_what_the_site_publishes(catalogue) -> None:
    runner = CliRunner()
    compared = 0
    for std_id, record, _, schema in _published_table_schemas(catalogue):
        if record is None:
            continue
        out = runner.invoke(cli, ["table-schema", std_id, record, "--root", str(REPO_STANDARDS)])
        assert out.exit_code == 0, out.output
        assert json.loads(out.output) == schema, (std_id, record)
        compared += 1
    assert compared >= 10


def test_the_site_schema_of_divisions_validates_the_shipped_divisions_dataset(
    catalogue, tmp_path
) -> None:
    """As a data officer would: take the published Table Schema of HNMZ/T 0101-2026's record
    XZQH and use it for datasets/hunan-divisions' first table; `stdhub validate` accepts it."""
    import shutil

    import yaml

    from stdhub.datasets.check import check_datasets

    (_, _, _, schema), *_ = [
        p
        for p in _published_table_schemas(catalogue)
        if p[0] == "HNMZ/T 0101-2026" and p[1] == "XZQH"
    ]
    folder = tmp_path / "datasets" / "hunan-divisions"
    shutil.copytree(REPO_STANDARDS.parent / "datasets" / "hunan-divisions", folder)
    descriptor_path = folder / "datapackage.yaml"
    descriptor = yaml.safe_load(descriptor_path.read_text(encoding="utf-8"))
    own = descriptor["resources"][0]["schema"]
    descriptor["resources"][0]["schema"] = {**schema, "foreignKeys": own.get("foreignKeys", [])}
    descriptor_path.write_text(yaml.safe_dump(descriptor, allow_unicode=True), encoding="utf-8")
    _, report = check_datasets(tmp_path / "datasets", catalogue, base=tmp_path)
    assert report.ok, report.as_text()
    assert not [p for p in report.problems if p.code == "D014"]
