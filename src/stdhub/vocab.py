"""The controlled vocabularies, each an enum whose values are the Chinese terms written in YAML
and shown to readers: kinds of file, lifecycle statuses (typed and derived), data types,
and a dataset's 开放属性.

Members are `StrEnum`s, so they compare equal to the strings read from YAML and print as
them. The JSON Schemas under `stdhub/schemas/` list the same terms for editors;
`tests/test_vocab.py` holds them to these enums.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """A standard's kind (类别), in the catalogue's order."""

    DATA = "数据标准"
    SERVICE = "服务标准"
    GUIDE = "办事指南"
    MANAGEMENT = "管理标准"
    TECHNICAL = "技术标准"

    @property
    def english(self) -> str:
        """The English word `stdhub new` also accepts: data, service, guide, …"""
        return self.name.lower()

    @property
    def schema(self) -> str:
        """The JSON Schema (under `stdhub/schemas/`) a file of this kind must pass."""
        return _SCHEMA[self]

    @property
    def folder(self) -> str:
        """The folder under `standards/` that files of this kind go in."""
        return _SCHEMA[self].removesuffix("-standard")


_SCHEMA = {
    Kind.DATA: "data-standard",
    Kind.SERVICE: "service-standard",
    Kind.GUIDE: "service-standard",
    Kind.MANAGEMENT: "management-standard",
    Kind.TECHNICAL: "management-standard",
}


class ListKind(StrEnum):
    """A public list's kind, in the site's order."""

    POWERS = "权力清单"
    DUTIES = "责任清单"
    PUBLIC_SERVICES = "公共服务清单"
    POLICIES = "政策法规"


CODELIST_KIND = "代码集"
CROSSWALK_KIND = "区划变更对照"


# every kind of file under `standards/` -> the JSON Schema it must pass
SCHEMA_FOR_KIND: dict[str, str] = {
    **{k.value: k.schema for k in Kind},
    CODELIST_KIND: "codelist",
    CROSSWALK_KIND: "crosswalk",
    **{k.value: "list" for k in ListKind},
}


class Status(StrEnum):
    """The lifecycle status written in a standard's YAML (生命周期状态)."""

    DRAFT = "草案"
    CONSULTATION = "征求意见"
    APPROVED = "已批准"
    CURRENT = "现行"
    SUPERSEDED = "被代替"
    WITHDRAWN = "废止"

    @property
    def published(self) -> bool:
        """Approved or later: what a `latest` address may point at."""
        return self not in (Status.DRAFT, Status.CONSULTATION)


class Shown(StrEnum):
    """The status a reader sees: the typed one, refined by the dates (never typed)."""

    CURRENT = "现行"
    UPCOMING = "即将实施"
    APPROVED = "已批准"
    CONSULTING = "征求意见中"
    CONSULTATION_SOON = "即将征求意见"
    CONSULTATION_CLOSED = "征求意见已截止"
    DRAFT = "草案"
    SUPERSEDED = "被代替"
    WITHDRAWN = "废止"


class DataType(StrEnum):
    """A data element's data type (数据类型)."""

    TEXT = "字符型"
    INTEGER = "整数型"
    NUMBER = "数值型"
    DATE = "日期型"
    DATETIME = "日期时间型"
    BOOLEAN = "布尔型"


class Access(StrEnum):
    """A dataset's 开放属性: rows published, or metadata and schema only."""

    OPEN = "无条件开放"
    CONDITIONAL = "有条件开放"


# The words messages use for the kinds of value a YAML file or a JSON descriptor holds (JSON
# Schema's types: `stdhub.standards.schemacheck`, `stdhub.datasets.explain`).
VALUE_KINDS = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔值（true/false）",
    "array": "列表",
    "object": "映射（键: 值）",
    "null": "空值",
}

# The words for the types of a Table Schema field, as the data standards name them
# (`DataType`: 数值型 …; `stdhub.datasets.issues`).
FIELD_TYPES = {
    "integer": "整数",
    "number": "数值",
    "date": "日期（YYYY-MM-DD）",
    "datetime": "日期时间",
    "boolean": "布尔值（true/false）",
    "year": "年份",
    "yearmonth": "年月（YYYY-MM）",
    "string": "文本",
}
