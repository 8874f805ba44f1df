"""The `catalogue` database: the standards catalogue as data, queried like the datasets.

    standards      one row per standard version, its status derived on the build day
                   (the same rows as `catalogue.json`: `stdhub.site.sections.catalogue`)
    data_elements  every data element of the data standards
    code_lists     every code list;  codes  every code of every list
    list_items     the items of the public lists (权力清单, 责任清单, 公共服务清单, 政策法规)
    consultations  the standards that were or are open for comment, with their counts
    comments       the published part of the answered comments (`stdhub.feedback.public`)

Every row links back to its page on the site (`url`). Each table has a full-text index
filled with `stdhub.fts.index_text` (so `_search=低保` finds 城乡低保), and facets.
Everything here was read from `standards/` and `feedback/`, which validate screened for
personal data, and is published on the site's pages too.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stdhub import addresses, fts
from stdhub.config import Config
from stdhub.datasets.sqlnames import fts_table
from stdhub.datasette.links import DatasetInfo, TableInfo
from stdhub.feedback import public
from stdhub.feedback.dispositions import Disposition
from stdhub.site.context import SiteContext
from stdhub.site.sections.catalogue import records
from stdhub.standards.model import Catalogue, CodeList

NAME = addresses.CATALOGUE_DB
FILE = f"{NAME}.db"
TITLE = "标准目录数据"
DESCRIPTION = (
    "民政标准目录的数据：标准（及其在本次发布当天的状态）、数据元、代码集和代码、"
    "公开清单的事项、征求意见和公众意见的处理结果。每行的“网页”链接到网站上的对应页面。"
)


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    search: bool = False  # in the table's full-text index
    kind: str = "text"  # "text", "integer" or "json" (a JSON array, faceted as one)


@dataclass(frozen=True)
class Spec:
    name: str
    title: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    facets: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


C = Column
URL = C("url", "网页")
TABLES = (
    Spec(
        "standards",
        "标准",
        "每项标准的每个版本一行；状态按本次发布当天推算（现行、即将实施、被代替、废止……）。",
        ("id",),
        (
            C("id", "标准编号", search=True),
            C("title", "标准名称", search=True),
            C("title_en", "英文名称"),
            C("kind", "类别"),
            C("level", "级别"),
            C("nature", "性质"),
            C("status", "状态"),
            C("status_recorded", "登记状态"),
            C("domains", "领域", kind="json"),
            C("responsible_unit", "归口单位"),
            C("ccs", "中国标准分类号"),
            C("ics", "国际标准分类号"),
            C("issued", "发布日期"),
            C("effective", "实施日期"),
            C("withdrawn", "废止或被代替日期"),
            C("ends_as", "终止方式"),
            C("supersedes", "代替标准", kind="json"),
            C("superseded_by", "被代替为"),
            C("consultation_start", "征求意见开始"),
            C("consultation_end", "征求意见截止"),
            C("series", "标准系列"),
            C("version", "版本"),
            C("latest", "最新版本", kind="integer"),
            C("keywords", "关键词", search=True, kind="json"),
            C("summary", "摘要", search=True),
            URL,
            C("full_text", "全文"),
            C("json", "JSON"),
        ),
        ("status", "kind", "level", "domains"),
    ),
    Spec(
        "data_elements",
        "数据元",
        "数据标准中定义的数据元，每个标准版本的每个数据元一行。",
        ("standard", "id"),
        (
            C("standard", "标准编号"),
            C("id", "数据元标识符", search=True),
            C("name", "中文名称", search=True),
            C("name_en", "英文名称"),
            C("definition", "定义", search=True),
            C("data_type", "数据类型"),
            C("format", "表示格式"),
            C("code_list", "代码集"),
            C("unit", "计量单位"),
            C("personal", "个人信息", kind="integer"),
            URL,
        ),
        ("standard", "data_type", "code_list"),
    ),
    Spec(
        "code_lists",
        "代码集",
        "标准引用的代码集，每个一行。",
        ("id",),
        (
            C("id", "代码集标识", search=True),
            C("title", "名称", search=True),
            C("description", "说明", search=True),
            C("source", "来源标准"),
            C("defined_in", "所在标准"),
            C("closed", "封闭", kind="integer"),
            C("codes", "代码数", kind="integer"),
            URL,
        ),
        ("source",),
    ),
    Spec(
        "codes",
        "代码",
        "代码集中的每个代码一行。",
        ("code_list", "code"),
        (
            C("code_list", "代码集标识"),
            C("code", "代码", search=True),
            C("name", "名称", search=True),
            C("description", "说明", search=True),
            C("parent", "上级代码"),
            C("deprecated", "已停用", kind="integer"),
            URL,
        ),
        ("code_list", "deprecated"),
    ),
    Spec(
        "list_items",
        "清单事项",
        "权力清单、责任清单、公共服务清单和政策法规的每个事项一行。",
        ("list", "id"),
        (
            C("list", "清单"),
            C("list_title", "清单名称"),
            C("kind", "清单类别"),
            C("id", "编码", search=True),
            C("name", "名称", search=True),
            C("category", "类别"),
            C("domain", "领域"),
            C("governed_by", "依据标准", kind="json"),
            C("datasets", "开放数据", kind="json"),
            C("fields", "其他字段", search=True, kind="json"),
            C("text", "正文", search=True),
            URL,
        ),
        ("list", "category", "domain"),
    ),
    Spec(
        "consultations",
        "征求意见",
        "公开征求过意见（或正在、即将征求意见）的标准；意见数为通过本网站收到的意见。",
        ("standard",),
        (
            C("standard", "标准编号"),
            C("title", "标准名称", search=True),
            C("status", "状态"),
            C("start", "征求意见开始"),
            C("end", "征求意见截止"),
            C("received", "收到意见", kind="integer"),
            C("answered", "已答复", kind="integer"),
            *(C(f"n_{i}", f"{d.value}", kind="integer") for i, d in enumerate(Disposition)),
            C("outcome", "总体情况", search=True),
            C("comments_page", "意见采纳情况"),
            URL,
        ),
        ("status",),
    ),
    Spec(
        "comments",
        "公众意见",
        "通过本网站收到并已答复的意见及处理结果；意见原文照录（个人信息已隐去），"
        "不含提出人的姓名和联系方式，正在处理的意见不在其中。",
        ("id",),
        tuple(
            C(
                name,
                public.TITLES[name],
                search=name in ("text", "reason", "change", "place"),
            )
            for name in public.COLUMNS
        ),
        ("about", "disposition"),
    ),
)
SPECS = {s.name: s for s in TABLES}


def _standards(cat: Catalogue, config: Config, today: dt.date) -> Iterable[dict[str, Any]]:
    ctx = SiteContext(cat, config, today, cat.root.parent)
    for row in records(ctx):
        std = cat.standards[row["id"]]
        yield {
            **row,
            "responsible_unit": std.responsible_unit,
            "keywords": list(std.keywords),
            "summary": std.summary,
        }


def _site(config: Config, address: str) -> str:
    return addresses.absolute(config.site_url, address)


def _data_elements(cat: Catalogue, config: Config) -> Iterable[dict[str, Any]]:
    for std in sorted(cat.standards.values(), key=lambda s: s.id):
        for e in std.data_elements:
            yield {
                "standard": std.id,
                "id": e.id,
                "name": e.name,
                "name_en": e.name_en,
                "definition": e.definition,
                "data_type": str(e.data_type),
                "format": e.format,
                "code_list": e.code_list or "",
                "unit": e.unit,
                "personal": int(e.personal),
                "url": _site(config, addresses.standard(std)) + f"#de-{e.id}",
            }


def _code_lists(cat: Catalogue) -> list[CodeList]:
    found = dict(cat.code_lists)
    for std in cat.standards.values():
        for cl in std.code_lists:
            found.setdefault(cl.id, cl)
    return [found[k] for k in sorted(found)]


def _lists(cat: Catalogue, config: Config) -> Iterable[dict[str, Any]]:
    for cl in _code_lists(cat):
        yield {
            "id": cl.id,
            "title": cl.title,
            "description": cl.description,
            "source": cl.source or "",
            "defined_in": cl.defined_in or "",
            "closed": int(cl.closed),
            "codes": len(cl.codes),
            "url": _site(config, addresses.codelist(cl.id)),
        }


def _codes(cat: Catalogue, config: Config) -> Iterable[dict[str, Any]]:
    for cl in _code_lists(cat):
        page = _site(config, addresses.codelist(cl.id))
        for c in cl.codes:
            yield {
                "code_list": cl.id,
                "code": c.code,
                "name": c.name,
                "description": c.description,
                "parent": c.parent,
                "deprecated": int(c.is_deprecated),
                "url": page,
            }


def _list_items(cat: Catalogue, config: Config) -> Iterable[dict[str, Any]]:
    from stdhub.site.sections.lists import item_address

    for lst in sorted(cat.lists.values(), key=lambda x: x.id):
        for item in lst.items:
            rest = {k: v for k, v in item.fields.items() if k not in ("category", "domain")}
            yield {
                "list": lst.id,
                "list_title": lst.title,
                "kind": str(lst.kind),
                "id": item.id,
                "name": item.name,
                "category": _text(item.fields.get("category")),
                "domain": _text(item.fields.get("domain")),
                "governed_by": list(item.governed_by),
                "datasets": list(item.datasets),
                "fields": rest,
                "text": item.text,
                "url": _site(config, item_address(cat, lst, item)),
            }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _consultations(cat: Catalogue, config: Config, today: dt.date) -> Iterable[dict[str, Any]]:
    files = cat.feedback.files if cat.feedback else {}
    for std in sorted(cat.standards.values(), key=lambda s: s.id):
        if not (std.was_consulted() or std.dates.consultation_start):
            continue
        f = files.get(std.id)
        counts = f.counts() if f else {}
        yield {
            "standard": std.id,
            "title": std.title,
            "status": str(cat.status(std, today)),
            "start": _date(std.dates.consultation_start),
            "end": _date(std.dates.consultation_end),
            "received": len(f.entries) if f else 0,
            "answered": len(f.answered) if f else 0,
            **{f"n_{i}": counts.get(d, 0) for i, d in enumerate(Disposition)},
            "outcome": std.outcome(),
            "comments_page": (
                _site(config, addresses.consultation(std.id)) if f and f.answered else ""
            ),
            "url": _site(config, addresses.standard(std)),
        }


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _comments(cat: Catalogue, config: Config) -> Iterable[dict[str, Any]]:
    files = cat.feedback.files if cat.feedback else {}
    for about in sorted(files):
        yield from public.comment_rows(cat, files[about], config.site_url)


def rows(cat: Catalogue, config: Config, today: dt.date) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows, by table name."""
    return {
        "standards": list(_standards(cat, config, today)),
        "data_elements": list(_data_elements(cat, config)),
        "code_lists": list(_lists(cat, config)),
        "codes": list(_codes(cat, config)),
        "list_items": list(_list_items(cat, config)),
        "consultations": list(_consultations(cat, config, today)),
        "comments": list(_comments(cat, config)),
    }


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _value(column: Column, value: Any) -> Any:
    if column.kind == "json":
        return json.dumps(value or [], ensure_ascii=False, sort_keys=True, default=str)
    if column.kind == "integer":
        return int(value or 0)
    return "" if value is None else str(value)


def write_catalogue_db(path: Path, cat: Catalogue, config: Config, today: dt.date) -> Path:
    """Write the new file `path` (the `catalogue` database). Raises OSError."""
    data = rows(cat, config, today)
    con = sqlite3.connect(path)
    try:
        con.create_function("stdhub_fts", 1, fts.index_text, deterministic=True)
        for spec in TABLES:
            kinds = {"text": "TEXT", "integer": "INTEGER", "json": "TEXT"}
            cols = ", ".join(f"{_q(c.name)} {kinds[c.kind]}" for c in spec.columns)
            key = ", ".join(map(_q, spec.key))
            con.execute(f"CREATE TABLE {_q(spec.name)} ({cols}, PRIMARY KEY ({key}))")
            names = [c.name for c in spec.columns]
            con.executemany(
                f"INSERT INTO {_q(spec.name)} VALUES ({', '.join('?' for _ in names)})",
                [[_value(c, r.get(c.name)) for c in spec.columns] for r in data[spec.name]],
            )
            for facet in spec.facets:
                con.execute(
                    f"CREATE INDEX {_q(f'{spec.name}_{facet}')} ON {_q(spec.name)} ({_q(facet)})"
                )
            searched = [c.name for c in spec.columns if c.search]
            table = fts_table(spec.name)
            con.execute(
                f"CREATE VIRTUAL TABLE {_q(table)} USING fts5("
                f"{', '.join(map(_q, searched))}, content='', tokenize='{fts.TOKENIZE}')"
            )
            con.execute(
                f"INSERT INTO {_q(table)} (rowid, {', '.join(map(_q, searched))}) "
                f"SELECT rowid, {', '.join(f'stdhub_fts({_q(c)})' for c in searched)} "
                f"FROM {_q(spec.name)}"
            )
        con.commit()
    finally:
        con.close()
    return path


def metadata(config: Config) -> dict[str, Any]:
    """The database's part of Datasette's `metadata.json`: titles, column descriptions,
    facets and the full-text tables."""
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "about": "标准目录",
        "about_url": _site(config, addresses.CATALOGUE),
        "source": "湖南省民政厅",
        "source_url": _site(config, ""),
        "tables": {
            spec.name: {
                "title": spec.title,
                "description": spec.description,
                "columns": {c.name: c.title for c in spec.columns},
                "facets": [
                    {"array": f} if spec.column(f).kind == "json" else f for f in spec.facets
                ],
                "fts_table": fts_table(spec.name),
                "fts_pk": "rowid",
                **({"label_column": "title"} if spec.name == "standards" else {}),
                **({"sort": "received"} if spec.name == "comments" else {}),
            }
            for spec in TABLES
        },
    }


def info(config: Config) -> DatasetInfo:
    """The plugin's settings for the database: its titles, and the site page it belongs to."""
    return DatasetInfo(
        title=TITLE,
        page=_site(config, addresses.CATALOGUE),
        tables={
            spec.name: TableInfo(spec.title, {c.name: c.title for c in spec.columns})
            for spec in TABLES
        },
    )
