"""The public lists (权力清单, 责任清单, 公共服务清单, 政策法规): a filterable table each, and a
page per item that has more to say than its row."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from stdhub import addresses
from stdhub.site.context import Link, Section, SiteContext
from stdhub.site.render import render
from stdhub.site.status import live_attrs
from stdhub.standards.model import Catalogue, Ending, ListItem, PublicList, Standard
from stdhub.vocab import ListKind, Shown

LABELS = {
    "category": "类别",
    "domain": "领域",
    "implementing_body": "实施主体",
    "basis": "依据",
    "responsibilities": "责任事项",
    "accountability": "追责情形",
    "service_objects": "服务对象",
    "channel": "办理渠道",
    "document_number": "文号",
    "issuer": "发文机关",
    "issued": "发布日期",
    "validity": "有效性",
    "url": "官方来源",
    "description": "说明",
}
# Columns of each list's table (after 编码 and 名称).
COLUMNS = {
    "权力清单": ("category", "domain", "implementing_body"),
    "责任清单": ("domain", "implementing_body"),
    "公共服务清单": ("category", "domain", "service_objects", "channel"),
    "政策法规": ("category", "document_number", "issuer", "issued", "validity"),
}
FILTERS = ("category", "domain", "validity")
DETAIL = ("basis", "responsibilities", "accountability", "description", "governed_by")


def has_detail(item: ListItem, cat: Catalogue) -> bool:
    """An item gets its own page when it says more than its table row shows (related items
    link both ways, so an item others name has one too)."""
    return (
        bool(item.governed_by or item.related or item.datasets or item.text)
        or any(item.fields.get(k) for k in DETAIL)
        or bool(cat.related_items(item))
    )


def item_address(cat: Catalogue, lst: PublicList, item: ListItem) -> str:
    """The page of a list item, or its row in its list's table when it has no page."""
    if has_detail(item, cat):
        return addresses.list_item(lst.id, item.id)
    return addresses.public_list(lst.id) + f"#{item.id}"


def _dataset_links(ctx: SiteContext, item: ListItem) -> list[Link]:
    """The item's open datasets, by title; only those the build publishes (validate has
    reported any other name), or every one, by name, when the site is built alone."""
    if ctx.datasets is None:
        return [Link(name, addresses.dataset(name)) for name in item.datasets]
    known = ctx.datasets
    return [Link(known[name], addresses.dataset(name)) for name in item.datasets if name in known]


@dataclass(frozen=True)
class Governing:
    """A standard an item names in `governed_by`, as the item's reader needs it: its status
    on the build day, what ends it (if anything) and the edition that replaces it; `live`
    lets the page script mark it on the reader's day."""

    std: Standard
    status: Shown
    end: Ending | None
    replacement: Standard | None
    live: Markup


def governing(cat: Catalogue, item: ListItem, today) -> list[Governing]:
    out = []
    for sid in item.governed_by:
        std = cat.standards.get(sid)
        if std is None:
            continue
        successor = cat.successor(std)
        out.append(
            Governing(
                std=std,
                status=std.display_status(today, successor),
                end=std.ending(successor),
                replacement=cat.replacement(std, today),
                live=live_attrs(std, successor),
            )
        )
    return out


def _list_order(lst: PublicList) -> tuple[int, str]:
    return (list(ListKind).index(lst.kind), lst.id)


def _item_page(ctx: SiteContext, lst: PublicList, item: ListItem) -> str:
    page = addresses.list_item(lst.id, item.id)
    cat = ctx.catalogue
    return render(
        "list_item.md",
        lst=lst,
        item=item,
        labels=LABELS,
        addresses=addresses,
        u=lambda target: addresses.relative(target, page),
        standards=governing(cat, item, ctx.today),
        related=[
            Link(f"{other.id} {other.name}", item_address(cat, olist, other), olist.title)
            for olist, other in cat.related_items(item)
        ],
        datasets=_dataset_links(ctx, item),
        feedback=ctx.feedback(id=item.id, title=item.name, page=page),
    )


def _list_page(ctx: SiteContext, lst: PublicList) -> str:
    page = addresses.public_list(lst.id)
    columns = COLUMNS[lst.kind]
    datasets = {i.id: _dataset_links(ctx, i) for i in lst.items}
    filters = [
        (
            key,
            LABELS[key],
            sorted(Counter(str(i.fields[key]) for i in lst.items if i.fields.get(key)).items()),
        )
        for key in FILTERS
        if any(i.fields.get(key) for i in lst.items)
    ]
    return render(
        "list.md",
        lst=lst,
        columns=columns,
        labels=LABELS,
        filters=filters,
        addresses=addresses,
        u=lambda target: addresses.relative(target, page),
        has_detail=lambda item: has_detail(item, ctx.catalogue),
        cat=ctx.catalogue,
        governing={i.id: governing(ctx.catalogue, i, ctx.today) for i in lst.items},
        datasets=datasets,
        has_datasets=any(datasets.values()),
        feedback={
            i.id: ctx.feedback(id=i.id, title=i.name, page=page, anchor=i.id) for i in lst.items
        },
    )


def lists_section(ctx: SiteContext) -> Section:
    lists = sorted(ctx.catalogue.lists.values(), key=_list_order)
    files: dict[str, str | bytes] = {
        addresses.docs_path(addresses.LISTS): render(
            "lists.md",
            lists=lists,
            addresses=addresses,
            u=lambda t: addresses.relative(t, addresses.LISTS),
        ),
    }
    for lst in lists:
        files[addresses.docs_path(addresses.public_list(lst.id))] = _list_page(ctx, lst)
        for item in lst.items:
            if has_detail(item, ctx.catalogue):
                files[addresses.docs_path(addresses.list_item(lst.id, item.id))] = _item_page(
                    ctx, lst, item
                )
    # the theme prints navigation titles without escaping them
    nav = [addresses.docs_path(addresses.LISTS)] + [
        {html.escape(lst.title): addresses.docs_path(addresses.public_list(lst.id))}
        for lst in lists
    ]
    return Section(
        name="lists",
        weight=30,
        files=files,
        nav=[{"公开清单": nav}],
        not_in_nav=["/lists/*/*/"],
        entry=Link("公开清单", addresses.LISTS, "权力清单、责任清单、公共服务清单和政策法规"),
    )
