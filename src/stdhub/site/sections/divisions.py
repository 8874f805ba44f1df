"""行政区划: a tree of the divisions with search, and a page per prefecture and county.

Built from a crosswalk (`kind: 区划变更对照`) and its code lists: the index is a tree of
prefectures and their county-level units (with the townships' names to search by); each
prefecture and county has a page with its status, its parents, the editions it appears
in, its history from the crosswalk, and its townships with their villages. Lists and
collapsible blocks rather than wide tables, so the pages read on a phone. Nothing is made
when the catalogue has no crosswalk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stdhub import addresses
from stdhub.site.context import Link, Section, SiteContext
from stdhub.site.render import render
from stdhub.standards.divisions import Change, Crosswalk, division_type, level_of
from stdhub.standards.model import Catalogue, Code


@dataclass
class Node:
    code: Code
    level: int
    children: list[Node] = field(default_factory=list)
    history: list[Change] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return division_type(self.code.code, self.code.name)

    @property
    def current(self) -> bool:
        return not self.code.is_deprecated


def tree(cat: Catalogue, cw: Crosswalk) -> dict[str, Node]:
    """Every code of the crosswalk's lists as a node with its children and its changes."""
    nodes: dict[str, Node] = {}
    for list_id in cw.code_lists:
        cl = cat.code_lists.get(list_id)
        for c in cl.codes if cl else ():
            nodes[c.code] = Node(c, level_of(c.code))
    for node in nodes.values():
        parent = nodes.get(node.code.parent)
        if parent is not None:
            parent.children.append(node)
    for ch in cw.changes:
        for code in {s.code for s in (*ch.old, *ch.new)}:
            if code in nodes:
                nodes[code].history.append(ch)
            if len(code) > 6 and code[:6] in nodes and ch not in nodes[code[:6]].history:
                nodes[code[:6]].history.append(ch)  # a township's change, on its county's page
    for node in nodes.values():
        node.history.sort(key=lambda c: c.date)
    return nodes


def divisions_section(ctx: SiteContext) -> Section:
    cat = ctx.catalogue
    files: dict[str, str | bytes] = {}
    figures = ctx.division_figures or (lambda code, page: "")
    for cw in cat.crosswalks.values():
        nodes = tree(cat, cw)
        province = next((n for n in nodes.values() if n.level == 1), None)
        if province is None:
            continue
        files[addresses.docs_path(addresses.DIVISIONS)] = render(
            "divisions.md",
            cw=cw,
            province=province,
            addresses=addresses,
            u=lambda t: addresses.relative(t, addresses.DIVISIONS),
            figures=figures(province.code.code, addresses.DIVISIONS),
        )
        for node in nodes.values():
            if node.level not in (2, 3):
                continue
            page = addresses.division(node.code.code)
            files[addresses.docs_path(page)] = render(
                "division.md",
                cw=cw,
                node=node,
                nodes=nodes,
                addresses=addresses,
                u=lambda t, page=page: addresses.relative(t, page),
                feedback=ctx.feedback(id=node.code.code, title=node.code.name, page=page),
                figures=figures(node.code.code, page) if node.current else "",
            )
        break  # one crosswalk, one tree
    if not files:
        return Section(name="divisions", weight=27)
    return Section(
        name="divisions",
        weight=27,
        files=files,
        nav=[{"行政区划": addresses.docs_path(addresses.DIVISIONS)}],
        not_in_nav=["/divisions/*/"],
        entry=Link("行政区划", addresses.DIVISIONS, "省、市、县、乡、村五级区划代码及其变更"),
    )
