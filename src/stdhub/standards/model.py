"""The standards model: what a catalogue holds once its YAML has passed the schemas.

Objects are built only from schema-valid data, so fields can be trusted to exist and
to have the right type. Dates are `datetime.date`. Status shown to readers
(`display_status`, `Catalogue.status`) is derived on any day from the recorded decisions
(approved, superseded by X, withdrawn) and their dates, never from a status typed ahead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stdhub.vocab import DataType, Kind, ListKind, Shown, Status

if TYPE_CHECKING:  # the type only: feedback/ is loaded by stdhub.project
    from stdhub.feedback.dispositions import Feedback

_YEAR = re.compile(r"^(?P<series>.+)-(?P<year>(19|20)\d\d)$")


def slug(identifier: str) -> str:
    """The file and URL name of an id: `GB/T 2261.1-2003` -> `GB-T-2261.1-2003`."""
    return re.sub(r"[/\s]+", "-", identifier.strip())


def series_of(identifier: str) -> str:
    """The id without its year: `GB/T 2261.1-2003` -> `GB/T 2261.1`."""
    m = _YEAR.match(identifier)
    return m["series"] if m else identifier


def year_of(identifier: str) -> str | None:
    m = _YEAR.match(identifier)
    return m["year"] if m else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass
class Located:
    """Where a model object came from: the file, and the JSON path inside it."""

    file: str = ""
    path: tuple[str | int, ...] = ()


@dataclass
class Event:
    date: dt.date
    event: str
    note: str = ""


@dataclass(frozen=True)
class Ending:
    """What ends an edition (被代替 or 废止) and the day it takes effect (None: unknown)."""

    shown: Shown
    on: dt.date | None


@dataclass
class Dates:
    issued: dt.date | None = None
    effective: dt.date | None = None
    withdrawn: dt.date | None = None
    consultation_start: dt.date | None = None
    consultation_end: dt.date | None = None

    @classmethod
    def from_dict(cls, d: dict[str, str]) -> Dates:
        return cls(**{k: _date(v) for k, v in d.items()})


@dataclass
class Code:
    code: str
    name: str
    description: str = ""
    deprecated: dict[str, str] | None = None
    parent: str = ""  # the code of its parent, for hierarchical lists (divisions)
    editions: list[str] = field(default_factory=list)  # the editions it appears in
    valid_from: str | None = None  # ISO date it came into use, when known

    @property
    def is_deprecated(self) -> bool:
        return self.deprecated is not None


@dataclass
class CodeList:
    id: str
    title: str
    codes: list[Code]
    title_en: str = ""
    description: str = ""
    source: str | None = None
    closed: bool = True
    defined_in: str | None = None  # the standard that holds it inline, if any
    codes_file: str | None = None  # a CSV beside the YAML that holds the codes
    where: Located = field(default_factory=Located)
    _index: dict[str, Code] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_dict(
        cls, d: dict[str, Any], where: Located, defined_in: str | None = None
    ) -> CodeList:
        codes = [Code(**c) for c in d["codes"]]
        rest = {k: v for k, v in d.items() if k not in ("codes", "kind")}
        return cls(codes=codes, defined_in=defined_in, where=where, **rest)

    def code(self, value: str) -> Code | None:
        if self._index is None:
            self._index = {}
            for c in self.codes:
                self._index.setdefault(c.code, c)
        return self._index.get(value)


@dataclass
class DataElement:
    id: str
    name: str
    definition: str
    data_type: DataType
    name_en: str = ""
    format: str = ""
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    code_list: str | None = None
    unit: str = ""
    personal: bool = False
    period: bool = False  # holds the period a row is about (for time-aware codes)
    total_of: str | None = None  # the element (same standard) whose amounts this one totals
    note: str = ""


@dataclass
class RecordElement:
    element: str
    required: bool = False
    primary_key: bool = False


@dataclass
class RecordStructure:
    id: str
    name: str
    elements: list[RecordElement]
    description: str = ""


@dataclass
class Clause:
    number: str
    title: str
    text: str = ""
    clauses: list[Clause] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Clause:
        return cls(
            number=d["number"],
            title=d["title"],
            text=d.get("text", ""),
            clauses=[cls.from_dict(c) for c in d.get("clauses", [])],
        )

    def walk(self):
        yield self
        for c in self.clauses:
            yield from c.walk()


@dataclass
class Standard:
    """One version of one standard (one file)."""

    id: str
    title: str
    kind: Kind
    level: str
    nature: str
    status: Status
    domains: list[str]
    responsible_unit: str
    history: list[Event]
    series: str = ""
    version: str = ""
    title_en: str = ""
    ccs: str = ""  # 中国标准分类号, e.g. A12
    ics: str = ""  # 国际标准分类号, e.g. 03.080
    dates: Dates = field(default_factory=Dates)
    supersedes: list[str] = field(default_factory=list)
    superseded_by: str | None = None
    drafting_units: list[str] = field(default_factory=list)
    drafters: list[str] = field(default_factory=list)  # 起草人: roles or units, no personal names
    official_url: str = ""  # the official full text (https), when known
    contact: dict[str, str] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    summary: str = ""
    interpretation: str | dict[str, str] | None = None
    implementation_plan: str | dict[str, str] | None = None
    consultation_outcome: str = ""
    # kind-specific parts
    scope: str = ""
    clauses: list[Clause] = field(default_factory=list)
    data_elements: list[DataElement] = field(default_factory=list)
    records: list[RecordStructure] = field(default_factory=list)
    code_lists: list[CodeList] = field(default_factory=list)
    service: dict[str, Any] | None = None
    # the source, for messages and downloads
    where: Located = field(default_factory=Located)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any], file: str) -> Standard:
        plain = {
            k: v
            for k, v in d.items()
            if k not in ("dates", "history", "clauses", "data_elements", "records", "code_lists")
        }
        std = cls(
            **{**plain, "kind": Kind(d["kind"]), "status": Status(d["status"])},
            dates=Dates.from_dict(d.get("dates", {})),
            history=[
                Event(dt.date.fromisoformat(e["date"]), e["event"], e.get("note", ""))
                for e in d["history"]
            ],
            clauses=[Clause.from_dict(c) for c in d.get("clauses", [])],
            data_elements=[
                DataElement(**{**e, "data_type": DataType(e["data_type"])})
                for e in d.get("data_elements", [])
            ],
            records=[
                RecordStructure(**{**r, "elements": [RecordElement(**e) for e in r["elements"]]})
                for r in d.get("records", [])
            ],
            where=Located(file),
            raw=d,
        )
        std.series = std.series or series_of(std.id)
        std.version = std.version or year_of(std.id) or "1"
        std.code_lists = [
            CodeList.from_dict(c, Located(file, ("code_lists", i)), defined_in=std.id)
            for i, c in enumerate(d.get("code_lists", []))
        ]
        return std

    @property
    def slug(self) -> str:
        return slug(self.id)

    @property
    def series_slug(self) -> str:
        return slug(self.series)

    def element(self, element_id: str) -> DataElement | None:
        return next((e for e in self.data_elements if e.id == element_id), None)

    def ending(self, successor: Standard | None = None) -> Ending | None:
        """The recorded decision that ends this edition, on its day (past or future): a
        withdrawal (`dates.withdrawn`, or a typed 废止), or a supersession (`superseded_by`)
        on the date of its 被代替 event, else on `successor`'s effective date once the
        successor is approved. None while nothing ends it: no decision, or a successor still
        in draft or consultation for an edition not typed 被代替."""
        if self.dates.withdrawn or self.status == Status.WITHDRAWN:
            return Ending(Shown.WITHDRAWN, self.dates.withdrawn)
        if not (self.superseded_by or self.status == Status.SUPERSEDED):
            return None
        day = next((e.date for e in self.history if e.event == "被代替"), None)
        if day is None and successor is not None and successor.status.published:
            day = successor.dates.effective
        if day is None and self.status != Status.SUPERSEDED:
            return None
        return Ending(Shown.SUPERSEDED, day)

    def display_status(self, today: dt.date, successor: Standard | None = None) -> Shown:
        """What a reader sees on `today`, derived from the recorded decisions and their dates
        (pass the edition named in `superseded_by` as `successor`, or use
        `Catalogue.status`): a consultation by its dates; an approved edition is 即将实施
        before its effective date, 现行 from it, until the day a withdrawal or supersession
        takes effect (`ending`). `assets/stdhub.js` derives the same on the reader's day."""
        d = self.dates
        if self.status == Status.DRAFT:
            return Shown.DRAFT
        if self.status == Status.CONSULTATION:
            if d.consultation_end and today > d.consultation_end:
                return Shown.CONSULTATION_CLOSED
            if d.consultation_start and today < d.consultation_start:
                return Shown.CONSULTATION_SOON
            return Shown.CONSULTING
        end = self.ending(successor)
        if end and (end.on is None or today >= end.on):
            return end.shown
        if d.effective and today < d.effective:
            return Shown.UPCOMING
        return Shown.CURRENT if d.effective or self.status == Status.CURRENT else Shown.APPROVED

    def in_consultation(self, today: dt.date) -> bool:
        return self.display_status(today) == Shown.CONSULTING

    def was_consulted(self) -> bool:
        """Whether the standard went through a public consultation (dates or history)."""
        return bool(self.dates.consultation_end) or any(
            e.event in ("征求意见开始", "征求意见结束") for e in self.history
        )

    @property
    def is_national(self) -> bool:
        """A national or industry standard (GB, GB/T, MZ/T …): its full text is published by
        the national platform, not here."""
        return self.level in ("国家标准", "行业标准")

    def ceased_on(self, successor: Standard | None = None) -> dt.date | None:
        """The day it ceases (or ceased) to apply, withdrawn or superseded (see `ending`);
        None when nothing ends it or the day is unknown."""
        end = self.ending(successor)
        return end.on if end else None

    def outcome(self) -> str:
        """The published outcome of its consultation (Markdown): `consultation_outcome`,
        else the note of the 征求意见结束 event in its history; "" when none is recorded."""
        if self.consultation_outcome:
            return self.consultation_outcome
        return next((e.note for e in self.history if e.event == "征求意见结束" and e.note), "")


@dataclass
class ListItem:
    id: str
    name: str
    fields: dict[str, Any]  # the other fields of the YAML item, as written
    governed_by: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # ids of other list items
    datasets: list[str] = field(default_factory=list)  # names of open datasets
    text: str = ""  # the full text or main points (Markdown), for a policy
    where: Located = field(default_factory=Located)

    _OWN = ("id", "name", "governed_by", "related", "datasets", "text")

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: Located) -> ListItem:
        return cls(
            id=d["id"],
            name=d["name"],
            fields={k: v for k, v in d.items() if k not in cls._OWN},
            governed_by=list(d.get("governed_by", [])),
            related=list(d.get("related", [])),
            datasets=list(d.get("datasets", [])),
            text=d.get("text", ""),
            where=where,
        )


@dataclass
class PublicList:
    id: str
    kind: ListKind
    title: str
    updated: dt.date
    items: list[ListItem]
    description: str = ""
    publisher: str = ""
    where: Located = field(default_factory=Located)

    @classmethod
    def from_dict(cls, d: dict[str, Any], file: str) -> PublicList:
        items = [
            ListItem.from_dict(it, Located(file, ("items", i))) for i, it in enumerate(d["items"])
        ]
        return cls(
            id=d["id"],
            kind=ListKind(d["kind"]),
            title=d["title"],
            updated=dt.date.fromisoformat(d["updated"]),
            items=items,
            description=d.get("description", ""),
            publisher=d.get("publisher", ""),
            where=Located(file),
        )


class _Indexes:
    """The catalogue's cross-references, each computed once in one pass over it."""

    def __init__(self, cat: Catalogue) -> None:
        by_series: dict[str, list[Standard]] = defaultdict(list)
        self.referenced_by: dict[str, list[Standard]] = defaultdict(list)
        self.users: dict[str, list[tuple[Standard, DataElement]]] = defaultdict(list)
        for std in sorted(cat.standards.values(), key=lambda s: s.id):
            for ref in std.references:
                self.referenced_by[ref].append(std)
        for std in cat.standards.values():  # in load order
            by_series[std.series].append(std)
            for e in std.data_elements:
                if e.code_list:
                    self.users[e.code_list].append((std, e))
        self.versions = {  # oldest first
            k: sorted(v, key=lambda s: (s.dates.issued or dt.date.max, s.version))
            for k, v in by_series.items()
        }
        self.latest = {  # the newest version that is not a draft
            k: ([s for s in v if s.status.published] or v)[-1] for k, v in self.versions.items()
        }
        self.governed: dict[str, list[tuple[PublicList, ListItem]]] = defaultdict(list)
        self.items: dict[str, tuple[PublicList, ListItem]] = {}
        self.related_from: dict[str, list[str]] = defaultdict(list)
        for lst in cat.lists.values():
            for item in lst.items:
                self.items.setdefault(item.id, (lst, item))
                for sid in item.governed_by:
                    self.governed[sid].append((lst, item))
                for other in item.related:
                    self.related_from[other].append(item.id)
        self.by_source: dict[str, list[CodeList]] = defaultdict(list)
        for cl in sorted(cat.code_lists.values(), key=lambda c: c.id):
            if cl.source and cl.defined_in is None:
                self.by_source[cl.source].append(cl)


@dataclass
class Catalogue:
    """Everything under `standards/`, indexed, after a clean load.

    The queries below answer from indexes built on the first query (one pass over the
    catalogue), so asking once per standard stays linear; adding entries afterwards makes
    the next query rebuild them. Lists returned are shared: do not change them.
    """

    root: Path
    standards: dict[str, Standard] = field(default_factory=dict)
    code_lists: dict[str, CodeList] = field(default_factory=dict)
    lists: dict[str, PublicList] = field(default_factory=dict)
    crosswalks: dict[str, Any] = field(default_factory=dict)  # id -> divisions.Crosswalk
    feedback: Feedback | None = None  # the answered comments under feedback/
    invalid_ids: set[str] = field(default_factory=set)  # ids of files that failed their schema
    _cache: tuple[tuple[int, int, int], _Indexes] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __repr__(self) -> str:  # the whole content would be megabytes in a traceback
        return (
            f"Catalogue({str(self.root)!r}: {len(self.standards)} standards,"
            f" {len(self.code_lists)} code lists, {len(self.lists)} lists)"
        )

    @property
    def _index(self) -> _Indexes:
        size = (len(self.standards), len(self.code_lists), len(self.lists))
        if self._cache is None or self._cache[0] != size:
            self._cache = (size, _Indexes(self))
        return self._cache[1]

    def versions(self, series: str) -> list[Standard]:
        """All versions of one standard, oldest first."""
        return self._index.versions.get(series, [])

    def latest(self, series: str) -> Standard:
        """The version a `latest` address points at: the newest one that is not a draft.
        Raises KeyError for an unknown series."""
        return self._index.latest[series]

    def successor(self, std: Standard) -> Standard | None:
        """The edition named in `std.superseded_by`, when it is in the catalogue."""
        return self.standards.get(std.superseded_by) if std.superseded_by else None

    def status(self, std: Standard, today: dt.date) -> Shown:
        """What a reader sees of `std` on `today` (`Standard.display_status` with its
        successor): the one reading every page, list and data file uses."""
        return std.display_status(today, self.successor(std))

    def replacement(self, std: Standard, today: dt.date) -> Standard | None:
        """The edition that replaces `std`, followed along `superseded_by` to the one not
        superseded on `today` (or the last one); None when nothing replaces it."""
        seen, new = {std.id}, self.successor(std)
        while new is not None and new.id not in seen:  # a cycle (X006) replaces nothing
            seen.add(new.id)
            after = self.successor(new)
            if after is None or self.status(new, today) != Shown.SUPERSEDED:
                return new
            new = after
        return None

    def in_force(self, series: str, today: dt.date) -> list[Standard]:
        """The editions of `series` that are 现行 on `today` (at most one in a valid
        catalogue)."""
        return [s for s in self.versions(series) if self.status(s, today) == Shown.CURRENT]

    def previous(self, std: Standard) -> Standard | None:
        """The version before `std`, if any."""
        versions = self.versions(std.series)
        i = versions.index(std)
        return versions[i - 1] if i > 0 else None

    def referenced_by(self, std_id: str) -> list[Standard]:
        """The standards whose `references` name `std_id`, by id."""
        return self._index.referenced_by.get(std_id, [])

    def governed_items(self, std_id: str) -> list[tuple[PublicList, ListItem]]:
        """The list items `governed_by` this standard, with their lists."""
        return self._index.governed.get(std_id, [])

    def list_item(self, item_id: str) -> tuple[PublicList, ListItem] | None:
        """The list item with this id (the first one, if ids repeat), with its list."""
        return self._index.items.get(item_id)

    def related_items(self, item: ListItem) -> list[tuple[PublicList, ListItem]]:
        """The items related to `item` either way: those it names in `related`, then those
        naming it, each once, unknown ids left out."""
        ids = dict.fromkeys([*item.related, *self._index.related_from.get(item.id, [])])
        ids.pop(item.id, None)
        return [found for i in ids if (found := self._index.items.get(i))]

    def code_list_users(self, list_id: str) -> list[tuple[Standard, DataElement]]:
        """The data elements (with their standards) that take their values from `list_id`."""
        return self._index.users.get(list_id, [])

    def defined_code_lists(self, std: Standard) -> list[CodeList]:
        """The code lists a standard defines: inline, or standalone with `source` = it."""
        inline = {cl.id for cl in std.code_lists}
        standalone = [cl for cl in self._index.by_source.get(std.id, []) if cl.id not in inline]
        return [*std.code_lists, *standalone]
