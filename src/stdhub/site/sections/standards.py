"""A page per standard (every version), with its downloads at versioned and `latest` addresses."""

from __future__ import annotations

import html
from functools import partial

from stdhub import addresses
from stdhub.site import diff, downloads
from stdhub.site.context import Link, Section, SiteContext
from stdhub.site.render import render
from stdhub.site.search import standard_entries
from stdhub.site.status import badge, live_attrs
from stdhub.standards.model import Clause, Standard
from stdhub.vocab import Shown


def _clauses(clauses: list[Clause], level: int = 3) -> list[tuple[Clause, int]]:
    out = []
    for c in clauses:
        out.append((c, min(level, 6)))
        out.extend(_clauses(c.clauses, level + 1))
    return out


def _required_in(std: Standard) -> dict[str, str]:
    """Element id -> 必填 / 可选, from the record structures (必填 if required in any)."""
    marks: dict[str, str] = {}
    for r in std.records:
        for e in r.elements:
            if e.required:
                marks[e.element] = "必填"
            else:
                marks.setdefault(e.element, "可选")
    return marks


def _title(std: Standard) -> str:
    return f"{std.id} {std.title}"


def _relations(ctx: SiteContext, std: Standard) -> list[tuple[str, list[Link]]]:
    cat = ctx.catalogue

    def link(sid: str) -> Link:
        other = cat.standards[sid]
        return Link(_title(other), addresses.standard(other))

    rel: list[tuple[str, list[Link]]] = [
        ("代替", [link(s) for s in std.supersedes if s in cat.standards]),
        ("被代替", [link(std.superseded_by)] if std.superseded_by in cat.standards else []),
        ("引用", [link(s) for s in std.references if s in cat.standards]),
        ("被以下标准引用", [link(s.id) for s in cat.referenced_by(std.id)]),
        (
            "规范的清单事项",
            [
                Link(f"{item.id} {item.name}", _item_address(cat, lst, item), lst.title)
                for lst, item in cat.governed_items(std.id)
            ],
        ),
    ]
    return [(label, links) for label, links in rel if links]


def _succession(ctx: SiteContext, std: Standard) -> list[tuple[str, list[Link]]]:
    """The 代替 / 被代替 rows of the record table: a link to each standard in the catalogue,
    the bare number of one that is not."""
    cat = ctx.catalogue

    def link(sid: str) -> Link:
        other = cat.standards.get(sid)
        return Link(_title(other), addresses.standard(other)) if other else Link(sid, "")

    rows = [
        ("代替标准", [link(s) for s in std.supersedes]),
        ("被代替标准", [link(std.superseded_by)] if std.superseded_by else []),
    ]
    return [(label, links) for label, links in rows if links]


def full_text(std: Standard) -> Link | None:
    """Where a reader finds the whole standard: the official text of a national or industry
    standard (its `official_url`, else the national platform's search for its number), or
    this site's print view of one of the department's own."""
    official = addresses.official_text(std)
    if std.official_url:
        return Link("查看官方全文", official, "国家标准全文公开系统等官方平台发布的正式文本")
    if official:
        return Link(
            "在全国标准信息公共服务平台查询全文",
            official,
            "按标准编号检索；本站只收录其目录信息和本厅使用的数据元",
        )
    return Link(
        "阅读全文（可打印）", addresses.standard_print(std), "全部条款按顺序排列的阅读和打印版"
    )


def _item_address(cat, lst, item) -> str:
    from stdhub.site.sections.lists import item_address

    return item_address(cat, lst, item)


def standard_files(ctx: SiteContext, std: Standard) -> tuple[str, dict[str, str]]:
    """The page of one standard, and its downloads (site path -> content)."""
    from stdhub.site.sections.consultations import clause_comments, comment_blocks

    cat = ctx.catalogue
    page = addresses.standard(std)
    successor = cat.successor(std)
    status = std.display_status(ctx.today, successor)
    code_lists = cat.defined_code_lists(std)
    files = downloads.files_for(cat, std, code_lists)
    prev = cat.previous(std)
    is_latest = cat.latest(std.series) is std
    consulting = std.in_consultation(ctx.today)
    end = std.dates.consultation_end
    title = std.title

    def fb(anchor: str = "") -> str:
        return ctx.feedback(id=std.id, title=title, page=page, version=std.version, anchor=anchor)

    clauses = _clauses(std.clauses)
    ending = std.ending(successor)
    ended = status in (Shown.SUPERSEDED, Shown.WITHDRAWN)
    # no comments are taken on a standard that no longer applies
    takes_comments = not ended
    ceased = ending.on if ending else None
    ceased_label = "被代替日期" if ending and ending.shown == Shown.SUPERSEDED else "废止日期"
    text = render(
        "standard.md",
        std=std,
        addresses=addresses,
        u=lambda target: addresses.relative(target, page),
        status=status,
        today=ctx.today,
        badge=badge(status),
        feedback=fb(),
        consulting=consulting,
        days_left=(end - ctx.today).days if consulting and end else None,
        superseded_by=successor,
        live=live_attrs(std, successor),
        end=ending,
        ended=ended,
        replacement=cat.replacement(std, ctx.today) if ending else None,
        ceased=ceased,
        ceased_label=ceased_label,
        full_text=full_text(std),
        succession=_succession(ctx, std),
        withdrawal_note=next((e.note for e in std.history if e.event == "废止"), ""),
        dates=[
            (label, value)
            for label, value in (
                ("发布日期", std.dates.issued),
                ("实施日期", std.dates.effective),
                (ceased_label, ceased),
            )
            if value
        ],
        code_lists=code_lists,
        clauses=clauses,
        clause_feedback={c.number: fb(f"clause-{c.number.replace('.', '-')}") for c, _ in clauses}
        if takes_comments
        else {},
        element_feedback={e.id: fb(f"de-{e.id}") for e in std.data_elements}
        if takes_comments
        else {},
        required_in=_required_in(std),
        previous=prev,
        changes=diff.diff(cat, prev, std) if prev else None,
        relations=_relations(ctx, std),
        blocks=[*ctx.standard_blocks.get(std.id, []), *comment_blocks(ctx, std)],
        clause_comments=clause_comments(ctx, std),
        versions=cat.versions(std.series),
        download_names=list(files),
        describe=downloads.describe,
        downloads=addresses.downloads(std),
        latest_downloads=addresses.downloads(std, latest=True),
        is_latest=is_latest,
        search_tags=[html.escape(k) for k in std.keywords],
        search_exclude=ctx.own_search,
    )
    out = {addresses.downloads(std) + name: content for name, content in files.items()}
    if is_latest:
        out.update({addresses.downloads(std, latest=True) + n: c for n, c in files.items()})
    return text, out


def print_page(ctx: SiteContext, std: Standard) -> str:
    """The readable full text of one of the department's own standards: its front matter
    as a standard prints it (number, dates, 前言), then scope, guide, data elements and
    every clause in order, without the site's feedback links; the site's print stylesheet
    makes it a clean document on paper."""
    page = addresses.standard_print(std)
    successor = ctx.catalogue.successor(std)
    return render(
        "standard_print.md",
        std=std,
        addresses=addresses,
        u=lambda target: addresses.relative(target, page),
        status=std.display_status(ctx.today, successor),
        ceased=std.ceased_on(successor),
        clauses=_clauses(std.clauses, level=2),
        required_in=_required_in(std),
        element_feedback={},
    )


def standards_section(ctx: SiteContext) -> Section:
    section = Section(
        name="standards", weight=20, not_in_nav=["/standards/", "/standards/*/full-text/"]
    )
    for std in ctx.catalogue.standards.values():
        page, downloads_ = standard_files(ctx, std)
        section.files[addresses.docs_path(addresses.standard(std))] = page
        if not addresses.official_text(std):
            section.files[addresses.docs_path(addresses.standard_print(std))] = print_page(ctx, std)
        section.static.update(downloads_)
        if ctx.own_search:
            blocks = ctx.standard_blocks.get(std.id, [])
            section.search.append(partial(standard_entries, std, addresses.standard(std), blocks))
    return section
