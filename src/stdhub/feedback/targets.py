"""What a comment may be about, and what that thing is called: one owner for the form, the
pull, the checks of `feedback/` and the pages that link to a consultation.

A comment's `about` is a standard, a code list, a public list or one of its items, a dataset
(`<dataset>/<table>/<row>` goes in the dataset's file), or one of GENERAL: the open-data
search pages (开放数据) or the site as a whole (网站, every page's footer link). Titles come
from the project, never from what a form said.
"""

from __future__ import annotations

from pathlib import Path

from stdhub.datasets.descriptor import NAMES as DESCRIPTOR_NAMES
from stdhub.datasets.descriptor import find_descriptor, read_document
from stdhub.problems import Report
from stdhub.standards.model import Catalogue, Standard

SITE_WIDE = "网站"  # a page of the site as a whole (the footer link of every page)
OPEN_DATA = "开放数据"  # the open-data search pages (Datasette without a database)
GENERAL_TITLES = {OPEN_DATA: "开放数据查询", SITE_WIDE: "湖南省民政标准化信息平台（网站整体）"}
"""The `about`s that name no one thing, with their titles."""
GENERAL = tuple(GENERAL_TITLES)


def dataset_names(folder: Path) -> set[str]:
    """The datasets comments may be about: the folders of `folder` (a project's
    `datasets/`) with a descriptor."""
    if not folder.is_dir():
        return set()
    return {p.name for p in folder.iterdir() if any((p / n).is_file() for n in DESCRIPTOR_NAMES)}


def dataset_title(folder: Path) -> str:
    """A dataset's `title` from its descriptor ("" if it has none or cannot be read)."""
    path = find_descriptor(folder)
    read = read_document(path, str(path), Report()) if path else None
    title = read[0].get("title") if read and isinstance(read[0], dict) else None
    return title if isinstance(title, str) else ""


class Targets:
    """Everything a comment may be about, and which file its comments go in."""

    def __init__(self, cat: Catalogue, datasets: set[str]) -> None:
        self.cat, self.datasets = cat, datasets
        self.items = {it.id: lst.id for lst in cat.lists.values() for it in lst.items}
        self._codes: dict[str, str] | None = None

    @property
    def codes(self) -> dict[str, str]:
        """Code -> the code list holding it (divisions have a page per code)."""
        if self._codes is None:
            self._codes = {}
            for cl in self.cat.code_lists.values():
                for c in cl.codes:
                    self._codes.setdefault(c.code, cl.id)
        return self._codes

    def subject(self, about: str) -> str | None:
        """The `about` of the file comments on `about` go in (a standard, a dataset, a code
        list, a public list), or None when `about` names nothing known."""
        cat = self.cat
        if about in cat.standards or about in cat.code_lists or about in cat.lists:
            return about
        if about in GENERAL:
            return about
        head = about.split("/", 1)[0]
        if head in self.datasets:
            return head
        if about in self.items:
            return self.items[about]
        if about in cat.invalid_ids:
            return about
        return self.codes.get(about)

    def title(self, subject: str, datasets: Path) -> str:
        """The title of `subject` (an `about` that `subject()` returned), from the project:
        a standard's, code list's or list's own, a dataset's descriptor's (its folder in
        `datasets`), GENERAL's; "" for anything else."""
        if subject in GENERAL_TITLES:
            return GENERAL_TITLES[subject]
        for table in (self.cat.standards, self.cat.code_lists, self.cat.lists):
            if subject in table:
                return str(table[subject].title)
        if subject in self.datasets:
            return dataset_title(datasets / subject)
        return ""

    def choices(self) -> set[str]:
        cat = self.cat
        return {*cat.standards, *cat.code_lists, *cat.lists, *self.datasets, *self.items}


def anchors(std: Standard) -> set[str]:
    """The anchors of a standard's page a comment can point at: clauses and data elements."""
    out = {f"de-{e.id}" for e in std.data_elements}
    for top in std.clauses:
        out |= {f"clause-{c.number.replace('.', '-')}" for c in top.walk()}
    return out
