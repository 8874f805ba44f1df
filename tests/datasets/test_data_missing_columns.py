"""A CSV that leaves out columns of its schema is a header problem naming each missing
field (as frictionless reports it), never a KeyError traceback (issue 20)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stdhub.datasets.check import check_datasets
from stdhub.datasets.descriptor import write_descriptor

FIELDS = ["id", "name", "longitude", "latitude"]


@settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    kept=st.lists(st.sampled_from(FIELDS), min_size=1, unique=True).map(
        lambda names: [n for n in FIELDS if n in names]
    ),
    engine=st.sampled_from(["auto", "frictionless"]),
    subset=st.booleans(),
)
def test_left_out_columns_are_named_never_a_traceback(
    kept, engine, subset, catalogue, tmp_path_factory
) -> None:
    tmp = tmp_path_factory.mktemp("missing")
    folder = tmp / "datasets" / "m"
    schema = {
        "fields": [
            {"name": n, "type": "number" if n in ("longitude", "latitude") else "string"}
            for n in FIELDS
        ]
    }
    if subset:
        schema["fieldsMatch"] = "subset"
    write_descriptor(
        folder / "datapackage.yaml",
        {
            "name": "m",
            "access": "无条件开放",
            "resources": [{"name": "t", "path": "t.csv", "schema": schema}],
        },
    )
    values = {"id": "1", "name": "甲", "longitude": "113.1", "latitude": "28.2"}
    rows = [",".join(kept), ",".join(values[n] for n in kept), ",".join(values[n] for n in kept)]
    (folder / "t.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    _, report = check_datasets(tmp / "datasets", catalogue, tmp, engine=engine)
    missing = [n for n in FIELDS if n not in kept]
    header = [p for p in report.errors if p.code == "D006"]
    if not missing:
        assert report.ok, report.as_text()
        return
    assert not report.ok
    assert {m for m in missing if any(m in p.message for p in header)} == set(missing), (
        report.as_text()
    )
    assert all(p.line == 1 for p in header)
