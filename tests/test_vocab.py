"""The vocabularies: the enums in `stdhub.vocab` are the terms the JSON Schemas (which editors
read) and the dataset metadata check accept, and nothing else."""

from __future__ import annotations

from stdhub import schemas
from stdhub.datasets.metadata import extension_schema
from stdhub.vocab import (
    CODELIST_KIND,
    CROSSWALK_KIND,
    SCHEMA_FOR_KIND,
    Access,
    DataType,
    Kind,
    ListKind,
    Status,
)


def test_kinds_select_schemas_that_accept_exactly_them() -> None:
    accepted: dict[str, set[str]] = {}
    for name in (
        "data-standard",
        "service-standard",
        "management-standard",
        "list",
        "codelist",
        "crosswalk",
    ):
        kind = schemas.schema(name)["properties"]["kind"]
        accepted[name] = set(kind.get("enum") or [kind["const"]])
    for kind, name in SCHEMA_FOR_KIND.items():
        assert kind in accepted[name], (kind, name)
    assert set().union(*accepted.values()) == set(SCHEMA_FOR_KIND)
    assert set(SCHEMA_FOR_KIND) == {*Kind, *ListKind, CODELIST_KIND, CROSSWALK_KIND}
    common = schemas.schema("common")["$defs"]
    assert set(common["record"]["properties"]["kind"]["enum"]) == set(Kind)


def test_statuses_and_data_types_are_the_schemas() -> None:
    common = schemas.schema("common")["$defs"]
    assert common["record"]["properties"]["status"]["enum"] == [s.value for s in Status]
    element = schemas.schema("data-standard")["$defs"]["dataElement"]
    assert element["properties"]["data_type"]["enum"] == [t.value for t in DataType]


def test_access_is_what_the_metadata_check_accepts() -> None:
    assert extension_schema()["properties"]["access"]["enum"] == ["无条件开放", "有条件开放"]
    assert Access("有条件开放") is Access.CONDITIONAL


def test_kinds_know_their_english_word_folder_and_schema() -> None:
    assert [k.english for k in Kind] == ["data", "service", "guide", "management", "technical"]
    assert Kind.GUIDE.folder == "service" and Kind.TECHNICAL.schema == "management-standard"


def test_messages_name_a_field_type_as_the_data_standards_do() -> None:
    """One word per type (issue 27: `number` was 数字 in two tables and 数值 in two): a Table
    Schema field's type reads as the data element's 数据类型 without its 型."""
    from stdhub.vocab import FIELD_TYPES, DataType

    for kind, data_type in [
        ("integer", DataType.INTEGER),
        ("number", DataType.NUMBER),
        ("boolean", DataType.BOOLEAN),
    ]:
        assert FIELD_TYPES[kind].startswith(data_type.removesuffix("型")), kind
    assert FIELD_TYPES["date"].startswith(DataType.DATE.removesuffix("型"))
    assert FIELD_TYPES["datetime"] == DataType.DATETIME.removesuffix("型")
