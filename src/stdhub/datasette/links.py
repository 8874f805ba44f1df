"""What a Datasette page links to: the dataset's page on the site, its standards, 意见反馈.

The settings travel inside Datasette's `metadata.json` (`plugins.stdhub`), written by
`stdhub.datasette.metadata`; the feedback link comes from the same `Config.feedback_link`
as the site's, so both fill one configured template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stdhub.config import Config
from stdhub.datasette import zh


@dataclass(frozen=True)
class StandardRef:
    id: str
    title: str
    url: str


@dataclass(frozen=True)
class TableInfo:
    title: str
    columns: dict[str, str] = field(default_factory=dict)  # column name -> Chinese title
    units: dict[str, str] = field(default_factory=dict)  # column name -> unit, as written
    label: str = ""  # the column that names a record (机构名称), if any
    csv: str = ""  # the whole table as the open-data section publishes it (CSV), if any
    search: str = ""  # the canned query listing full-text hits by relevance, if any


@dataclass(frozen=True)
class DatasetInfo:
    title: str
    page: str  # the dataset's page on the site
    version: str = ""
    standards: tuple[StandardRef, ...] = ()
    tables: dict[str, TableInfo] = field(default_factory=dict)
    queries: dict[str, TableInfo] = field(default_factory=dict)


@dataclass(frozen=True)
class PluginSettings:
    config: Config
    catalogue: str  # the 开放数据 section of the site
    databases: dict[str, DatasetInfo]
    cache_mb: int = 256

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PluginSettings:
        config = Config(feedback=d["feedback"], site_url=d["site_url"], data_url=d["data_url"])
        databases = {
            name: DatasetInfo(
                title=db["title"],
                page=db["page"],
                version=db.get("version", ""),
                standards=tuple(StandardRef(**s) for s in db.get("standards", [])),
                tables={t: TableInfo(**v) for t, v in db.get("tables", {}).items()},
                queries={q: TableInfo(**v) for q, v in db.get("queries", {}).items()},
            )
            for name, db in d.get("databases", {}).items()
        }
        return cls(config, d["catalogue"], databases, int(d.get("cache_mb", 256)))

    def as_dict(self) -> dict[str, Any]:
        return {
            "feedback": self.config.feedback,
            "site_url": self.config.site_url,
            "data_url": self.config.data_url,
            "catalogue": self.catalogue,
            "cache_mb": self.cache_mb,
            "databases": {
                name: {
                    "title": db.title,
                    "page": db.page,
                    "version": db.version,
                    "standards": [s.__dict__ for s in db.standards],
                    "tables": {t: dict(v.__dict__) for t, v in db.tables.items()},
                    "queries": {q: dict(v.__dict__) for q, v in db.queries.items()},
                }
                for name, db in self.databases.items()
            },
        }


@dataclass(frozen=True)
class PageLinks:
    """The links and Chinese titles one Datasette page shows (templates read these)."""

    settings: PluginSettings
    feedback: str
    dataset: DatasetInfo | None = None
    # the codes the page's filters name: column -> {code: label} (stdhub.datasette.labels)
    code_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    record: str = ""  # a row page's record, by name (stdhub.datasette.labels.record_title)

    @property
    def site(self) -> str:
        return self.settings.config.site_url

    @property
    def catalogue(self) -> str:
        return self.settings.catalogue

    @property
    def dataset_title(self) -> str:
        return self.dataset.title if self.dataset else ""

    @property
    def dataset_page(self) -> str:
        return self.dataset.page if self.dataset else ""

    @property
    def standards(self) -> tuple[StandardRef, ...]:
        return self.dataset.standards if self.dataset else ()

    def database_title(self, database: str) -> str:
        db = self.settings.databases.get(database)
        return db.title if db else database

    def table_title(self, database: str, table: str) -> str:
        info = self._table(database, table)
        return info.title if info else table

    def column_title(self, database: str, table: str, column: str) -> str:
        info = self._table(database, table)
        if info and column == "Link" and column not in info.columns:
            return "记录"  # Datasette's link column of a table with a compound key
        return info.columns.get(column, column) if info else column

    def is_search(self, database: str, query: str) -> bool:
        """Whether canned query `query` is a table's relevance search."""
        db = self.settings.databases.get(database)
        return bool(query) and db is not None and any(t.search == query for t in db.tables.values())

    def table_info(self, database: str, table: str) -> TableInfo | None:
        return self._table(database, table)

    def describe(self, text: str, database: str, table: str) -> str:
        """Datasette's English description of the filters, in Chinese with column titles
        and the labels of the codes it names."""
        info = self._table(database, table)
        columns = info.columns if info else {}
        return zh.description(text, columns, self.code_labels)

    def label_column(self, database: str, table: str) -> str:
        info = self._table(database, table)
        return info.label if info else ""

    def param_title(self, name: str) -> str:
        return zh.PARAMETERS.get(name, name)

    def _table(self, database: str, table: str) -> TableInfo | None:
        return settings_table(self.settings, database, table)

    @classmethod
    def for_page(
        cls,
        settings: PluginSettings,
        *,
        database: str | None,
        table: str | None,
        row: str | None,
        path: str,
        query_string: str,
    ) -> PageLinks:
        config = settings.config
        address = config.data_url.rstrip("/") + path + (f"?{query_string}" if query_string else "")
        dataset = settings.databases.get(database or "")
        if dataset is None:
            feedback = config.feedback_link(id="开放数据", title="开放数据查询", url=address)
            return cls(settings, feedback)
        where = [database or ""]
        title = [dataset.title]
        if table:
            where.append(table)
            part = dataset.tables.get(table) or dataset.queries.get(table)
            title.append(part.title if part else table)
        if row:
            where.append(row)
            title.append(f"第 {row} 条")
        feedback = config.feedback_link(
            id="/".join(where), title=" · ".join(title), url=address, version=dataset.version
        )
        return cls(settings, feedback, dataset)


def settings_table(settings: PluginSettings, database: str, table: str) -> TableInfo | None:
    db = settings.databases.get(database)
    return (db.tables.get(table) or db.queries.get(table)) if db else None
