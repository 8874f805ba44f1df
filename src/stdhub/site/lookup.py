"""The catalogue's cross-references computed once, so a page per standard stays linear.

`Catalogue.versions()`, `referenced_by()` and friends scan the whole catalogue on every
call; asked once per standard, that is quadratic (seconds at 2,000 standards).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cached_property

from stdhub.standards.model import Catalogue, CodeList, DataElement, ListItem, PublicList, Standard


class Lookup:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    @cached_property
    def _series(self) -> dict[str, list[Standard]]:
        found: dict[str, list[Standard]] = defaultdict(list)
        for std in self.catalogue.standards.values():
            found[std.series].append(std)
        # the same order as Catalogue.versions(): oldest first
        return {
            k: sorted(v, key=lambda s: (s.dates.issued or dt.date.max, s.version))
            for k, v in found.items()
        }

    def versions(self, std: Standard) -> list[Standard]:
        return self._series[std.series]

    @cached_property
    def _latest(self) -> dict[str, Standard]:
        # as Catalogue.latest(): the newest version that is not a draft
        latest = {}
        for k, versions in self._series.items():
            published = [s for s in versions if s.status.published]
            latest[k] = (published or versions)[-1]
        return latest

    def latest(self, std: Standard) -> Standard:
        return self._latest[std.series]

    def previous(self, std: Standard) -> Standard | None:
        versions = self.versions(std)
        i = versions.index(std)
        return versions[i - 1] if i > 0 else None

    @cached_property
    def _referenced_by(self) -> dict[str, list[Standard]]:
        found: dict[str, list[Standard]] = defaultdict(list)
        for std in sorted(self.catalogue.standards.values(), key=lambda s: s.id):
            for ref in std.references:
                found[ref].append(std)
        return found

    def referenced_by(self, std: Standard) -> list[Standard]:
        return self._referenced_by.get(std.id, [])

    @cached_property
    def _governed(self) -> dict[str, list[tuple[PublicList, ListItem]]]:
        found: dict[str, list[tuple[PublicList, ListItem]]] = defaultdict(list)
        for lst in self.catalogue.lists.values():
            for item in lst.items:
                for sid in item.governed_by:
                    found[sid].append((lst, item))
        return found

    def governed_items(self, std: Standard) -> list[tuple[PublicList, ListItem]]:
        return self._governed.get(std.id, [])

    @cached_property
    def _by_source(self) -> dict[str, list[CodeList]]:
        found: dict[str, list[CodeList]] = defaultdict(list)
        for cl in sorted(self.catalogue.code_lists.values(), key=lambda c: c.id):
            if cl.source and cl.defined_in is None:
                found[cl.source].append(cl)
        return found

    def defined_code_lists(self, std: Standard) -> list[CodeList]:
        """The code lists a standard defines: inline, or standalone with `source` = it."""
        inline = {cl.id for cl in std.code_lists}
        standalone = [cl for cl in self._by_source.get(std.id, []) if cl.id not in inline]
        return [*std.code_lists, *standalone]

    @cached_property
    def _users(self) -> dict[str, list[tuple[Standard, DataElement]]]:
        found: dict[str, list[tuple[Standard, DataElement]]] = defaultdict(list)
        for std in self.catalogue.standards.values():
            for e in std.data_elements:
                if e.code_list:
                    found[e.code_list].append((std, e))
        return found

    def code_list_users(self, list_id: str) -> list[tuple[Standard, DataElement]]:
        return self._users.get(list_id, [])
