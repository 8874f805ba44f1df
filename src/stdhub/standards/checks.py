"""Cross-checks over the whole catalogue: ids, references, supersession, dates, status, codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from graphlib import CycleError, TopologicalSorter
from typing import TYPE_CHECKING

from stdhub.problems import Report, did_you_mean
from stdhub.standards import crosswalkcheck
from stdhub.standards.model import Catalogue, ListItem, Standard
from stdhub.standards.scaffold import placeholders_in
from stdhub.vocab import ListKind, Shown, Status

if TYPE_CHECKING:
    from stdhub.standards.loader import Positions

# Events a typed status needs to find in the history.
_STATUS_EVENTS = {
    Status.CONSULTATION: ("征求意见开始",),
    Status.APPROVED: ("批准发布",),
    Status.CURRENT: ("批准发布",),
    Status.SUPERSEDED: ("被代替",),
    Status.WITHDRAWN: ("废止",),
}


class _Ctx:
    def __init__(self, positions: Positions, report: Report) -> None:
        self.positions, self.report = positions, report

    def add(
        self,
        code: str,
        file: str,
        path: Iterable[str | int],
        message: str,
        hint: str = "",
        key: bool = False,
    ) -> None:
        path = tuple(path)
        line, col = self.positions.where(file, path, key=key)
        self.report.add(code, file, message, line=line, column=col, path=path, hint=hint)


def run(
    cat: Catalogue,
    positions: Positions,
    report: Report,
    today: dt.date,
    datasets: Collection[str] | None = None,
) -> None:
    """Every cross-check; `datasets` are the names of the dataset packages beside the tree
    (None: unknown, list items' `datasets` are not checked)."""
    ctx = _Ctx(positions, report)
    for std in cat.standards.values():
        _references(cat, std, ctx)
        _dates(std, ctx)
        _status(std, ctx, today, answered=_answered(cat, std), successor=cat.successor(std))
        _placeholders(std, ctx)
        _data_parts(cat, std, ctx)
    _supersession(cat, ctx)
    _one_in_force(cat, ctx)
    for cl in cat.code_lists.values():
        _codes(cat, cl, ctx)
    _lists(cat, ctx, None if datasets is None else set(datasets))
    _lists_follow(cat, ctx, today)
    crosswalkcheck.check(cat, ctx.add)


def _dangling(cat: Catalogue, ref: str, table: dict) -> bool:
    """A reference to nothing; one to a file that failed its schema was already reported."""
    return ref not in table and ref not in cat.invalid_ids


def _references(cat: Catalogue, std: Standard, ctx: _Ctx) -> None:
    f = std.where.file
    for i, ref in enumerate(std.references):
        if _dangling(cat, ref, cat.standards):
            ctx.add(
                "X002",
                f,
                ("references", i),
                f"引用的标准 `{ref}` 不存在",
                _near(ref, cat.standards, std.id),
            )
    for i, ref in enumerate(std.supersedes):
        if _dangling(cat, ref, cat.standards):
            ctx.add(
                "X002",
                f,
                ("supersedes", i),
                f"被代替的标准 `{ref}` 不存在",
                _near(ref, cat.standards, std.id),
            )
    if std.superseded_by and _dangling(cat, std.superseded_by, cat.standards):
        ctx.add(
            "X002",
            f,
            ("superseded_by",),
            f"代替本标准的 `{std.superseded_by}` 不存在",
            _near(std.superseded_by, cat.standards, std.id),
        )


def _near(word: str, choices: Iterable[str], itself: str = "") -> str:
    """Did-you-mean among `choices`, never proposing `itself` (the referring file's own id:
    following that would make a reference, or a supersession, to itself)."""
    return did_you_mean(word, choices, exclude=(itself,))


def _dates(std: Standard, ctx: _Ctx) -> None:
    d, f = std.dates, std.where.file
    pairs = [
        ("issued", "effective", "实施日期早于发布日期"),
        ("consultation_start", "consultation_end", "征求意见截止日期早于开始日期"),
        ("effective", "withdrawn", "废止日期早于实施日期"),
        ("consultation_end", "issued", "发布日期早于征求意见截止日期"),
    ]
    for early, late, message in pairs:
        a, b = getattr(d, early), getattr(d, late)
        if a and b and b < a:
            ctx.add("X007", f, ("dates", late), f"{message}（{early} {a} > {late} {b}）")
    events = [e.date for e in std.history]
    if events != sorted(events):
        ctx.add("W002", f, ("history",), "历史事件未按日期从早到晚排列")


def _answered(cat: Catalogue, std: Standard) -> bool:
    """Are answers to its comments on record (`feedback/`, published as 意见采纳情况)?"""
    f = cat.feedback.for_about(std.id) if cat.feedback else None
    return bool(f and f.answered)


def _status(
    std: Standard,
    ctx: _Ctx,
    today: dt.date,
    answered: bool = False,
    successor: Standard | None = None,
) -> None:
    f, d, s = std.where.file, std.dates, std.status
    events = {e.event for e in std.history}
    for needed in _STATUS_EVENTS.get(s, ()):
        if needed not in events:
            ctx.add(
                "X008",
                f,
                ("history",),
                f"状态为“{s}”，但历史中没有“{needed}”事件",
                f"在 history 中加上 `event: {needed}` 及其日期",
            )
    if s == Status.CONSULTATION and not (d.consultation_start and d.consultation_end):
        ctx.add(
            "X008",
            f,
            ("dates",),
            "状态为“征求意见”，但没有征求意见起止日期",
            "填写 dates.consultation_start 和 dates.consultation_end",
        )
    if s.published and not d.issued:
        ctx.add("X008", f, ("dates",), f"状态为“{s}”，但没有发布日期 dates.issued")
    if s.published and s != Status.APPROVED and not d.effective:
        ctx.add("X008", f, ("dates",), f"状态为“{s}”，但没有实施日期 dates.effective")
    if s == Status.CURRENT and d.effective and d.effective > today:
        ctx.add(
            "X008",
            f,
            ("status",),
            f"状态为“现行”，但实施日期 {d.effective} 尚未到来",
            "写作“已批准”：实施日期之前网站显示“即将实施”，之后自动显示“现行”",
        )
    if s == Status.SUPERSEDED and not std.superseded_by:
        ctx.add(
            "X008",
            f,
            ("status",),
            "状态为“被代替”，但没有 superseded_by",
            "写明代替本标准的标准编号",
        )
    if not s.published and std.superseded_by:
        ctx.add(
            "X008",
            f,
            ("superseded_by",),
            f"有 superseded_by，但状态是“{s}”：尚未批准的标准不会被代替",
            "删除 superseded_by；被代替的是已批准或现行的版本",
        )
    if s == Status.WITHDRAWN and not d.withdrawn:
        ctx.add("X008", f, ("dates",), "状态为“废止”，但没有废止日期 dates.withdrawn")
    if not s.published and d.withdrawn:
        ctx.add(
            "X008",
            f,
            ("dates", "withdrawn"),
            f"有废止日期，但状态是“{s}”：尚未批准的标准无需废止",
            "删除 dates.withdrawn；不再制定的草案直接删除文件",
        )
    shown = std.display_status(today, successor)
    # answers on record in feedback/ are published as its 意见采纳情况 table
    if shown == Shown.CURRENT and std.was_consulted() and not std.outcome() and not answered:
        ctx.add(
            "W004",
            f,
            ("consultation_outcome",),
            "标准已经实施，但没有公布征求意见的处理结果",
        )
    if s == Status.CONSULTATION and d.consultation_end and d.consultation_end < today:
        ctx.add(
            "W001",
            f,
            ("dates", "consultation_end"),
            f"征求意见已于 {d.consultation_end} 截止，状态仍是“征求意见”",
        )


def _supersession(cat: Catalogue, ctx: _Ctx) -> None:
    for std in cat.standards.values():
        for i, old_id in enumerate(std.supersedes):
            old = cat.standards.get(old_id)
            if old and old.superseded_by != std.id:
                ctx.add(
                    "X005",
                    std.where.file,
                    ("supersedes", i),
                    f"本标准代替 `{old_id}`，但它的 superseded_by "
                    + (f"是 `{old.superseded_by}`" if old.superseded_by else "为空"),
                    f"在 {old.where.file} 中写 `superseded_by: {std.id}`",
                )
        new = cat.standards.get(std.superseded_by or "")
        if new and std.id not in new.supersedes:
            ctx.add(
                "X005",
                std.where.file,
                ("superseded_by",),
                f"`{new.id}` 代替本标准，但它的 supersedes 中没有 `{std.id}`",
                f"在 {new.where.file} 的 supersedes 中加上 `{std.id}`",
            )
    for std in cat.standards.values():
        _succession_dates(cat, std, ctx)
    for cycle in supersession_cycles(cat):
        std = cat.standards[cycle[0]]
        ctx.add("X006", std.where.file, ("supersedes",), f"代替关系成环：{' → '.join(cycle)}")


def _event_index(std: Standard, event: str) -> int | None:
    return next((i for i, e in enumerate(std.history) if e.event == event), None)


def _succession_dates(cat: Catalogue, std: Standard, ctx: _Ctx) -> None:
    """The recorded end of an edition must agree with what ends it: the day it is superseded
    is the day its successor takes effect (else no edition, or two, are in force between),
    a typed 被代替 needs a successor that is approved with a date, and an edition is either
    withdrawn or superseded, not both."""
    f, new = std.where.file, cat.successor(std)
    if std.superseded_by and std.dates.withdrawn:
        ctx.add(
            "X032",
            f,
            ("dates", "withdrawn"),
            f"本标准既写了废止日期 {std.dates.withdrawn}，又写了被 `{std.superseded_by}` 代替",
            "有新版本的写 superseded_by（新版本实施之日自动被代替）；没有新版本的只写废止日期",
        )
        return
    if new is None:
        return
    i = _event_index(std, "被代替")
    event = std.history[i].date if i is not None else None
    effective = new.dates.effective if new.status.published else None
    if i is not None and event and effective and event != effective:
        gap = "这段时间没有现行版本" if event < effective else "这段时间两个版本同时现行"
        ctx.add(
            "X030",
            f,
            ("history", i, "date"),
            f"被代替日期 {event} 与代替它的 `{new.id}` 的实施日期 {effective} 不一致：{gap}",
            f"把“被代替”事件的日期改为 {effective}（新版本实施之日），"
            f"或改正 {new.where.file} 的 dates.effective",
        )
    if (std.status == Status.SUPERSEDED or event) and effective is None:
        why = f"还是“{new.status}”" if not new.status.published else "没有实施日期"
        what = "状态为“被代替”" if std.status == Status.SUPERSEDED else "历史中记了“被代替”"
        ctx.add(
            "X031",
            f,
            ("status",) if std.status == Status.SUPERSEDED else ("history", i or 0),
            f"{what}，但代替它的 `{new.id}` {why}，无法确定哪天被代替",
            "新版本批准前保持原状态，只写 superseded_by；新版本批准时写明其 dates.effective，"
            "网站在那一天自动显示“被代替”",
        )


def _in_force_span(cat: Catalogue, std: Standard) -> tuple[dt.date, dt.date] | None:
    """The days [from, until) an edition is 现行, as `Catalogue.status` derives them."""
    start = std.dates.effective
    if not std.status.published or start is None:
        return None
    end = std.ending(cat.successor(std))
    until = dt.date.max if end is None else (end.on or start)
    return (start, until) if start < until else None


def _one_in_force(cat: Catalogue, ctx: _Ctx) -> None:
    """At most one edition of a series is in force on any day: two whose spans overlap and
    that no supersession links (X030 speaks of those) are an error on the later one."""
    for series in sorted({s.series for s in cat.standards.values()}):
        spans = [(s, span) for s in cat.versions(series) if (span := _in_force_span(cat, s))]
        for k, (new, (start, until)) in enumerate(spans):
            for old, (o_start, o_until) in spans[:k]:
                linked = old.superseded_by == new.id or new.superseded_by == old.id
                if linked or not (o_start < until and start < o_until):
                    continue
                ctx.add(
                    "X034",
                    new.where.file,
                    ("dates", "effective"),
                    f"同一标准的 `{old.id}` 和 `{new.id}` 自 {max(start, o_start)} 起同时现行",
                    f"新版本代替旧版本的，在 {old.where.file} 中写 `superseded_by: {new.id}`，"
                    f"在本文件 supersedes 中写 `{old.id}`；旧版本不再执行的，写它的 dates.withdrawn",
                )


def supersession_cycles(cat: Catalogue) -> list[list[str]]:
    """Each cycle along `supersedes` once, as ids from its first standard (in load order)
    back to it, e.g. `[A, B, A]` when A supersedes B and B supersedes A. graphlib finds one
    cycle at a time; each found is broken at its closing edge and the search goes on."""
    order = {sid: i for i, sid in enumerate(cat.standards)}
    edges = {sid: [o for o in std.supersedes if o in order] for sid, std in cat.standards.items()}
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    while True:
        sorter: TopologicalSorter[str] = TopologicalSorter()
        for sid, olds in edges.items():
            for old in olds:
                sorter.add(old, sid)  # the walk goes from a standard to those it supersedes
        try:
            sorter.prepare()
        except CycleError as exc:
            found = exc.args[1][:-1]
            first = min(range(len(found)), key=lambda k: order[found[k]])
            cycle = found[first:] + found[:first]
            edges[cycle[-1]].remove(cycle[0])
            if frozenset(cycle) not in seen:
                seen.add(frozenset(cycle))
                cycles.append([*cycle, cycle[0]])
            continue
        return cycles


def _data_parts(cat: Catalogue, std: Standard, ctx: _Ctx) -> None:
    f = std.where.file
    ids: set[str] = set()
    for i, el in enumerate(std.data_elements):
        if el.id in ids:
            ctx.add("X010", f, ("data_elements", i, "id"), f"数据元标识 `{el.id}` 重复")
        ids.add(el.id)
        if el.code_list and _dangling(cat, el.code_list, cat.code_lists):
            ctx.add(
                "X003",
                f,
                ("data_elements", i, "code_list"),
                f"代码集 `{el.code_list}` 不存在",
                _near(el.code_list, cat.code_lists),
            )
    units = {el.id: el.unit for el in std.data_elements}
    for i, el in enumerate(std.data_elements):
        if el.total_of and el.total_of not in ids:
            ctx.add(
                "X004",
                f,
                ("data_elements", i, "total_of"),
                f"total_of 指向的数据元 `{el.total_of}` 不在本标准中",
                _near(el.total_of, ids),
            )
        elif el.total_of and units[el.total_of] != el.unit:
            ctx.add(
                "X004",
                f,
                ("data_elements", i, "total_of"),
                f"合计的单位（{el.unit or '无'}）与 `{el.total_of}` 的单位"
                f"（{units[el.total_of] or '无'}）不同：合计和被合计的金额要用同一单位",
            )
    rec_ids: set[str] = set()
    for r, rec in enumerate(std.records):
        if rec.id in rec_ids:
            ctx.add("X010", f, ("records", r, "id"), f"记录结构标识 `{rec.id}` 重复")
        rec_ids.add(rec.id)
        for j, ref in enumerate(rec.elements):
            if ref.element not in ids:
                ctx.add(
                    "X004",
                    f,
                    ("records", r, "elements", j, "element"),
                    f"数据元 `{ref.element}` 不在本标准中",
                    _near(ref.element, ids),
                )


def _codes(cat: Catalogue, cl, ctx: _Ctx) -> None:
    f = cl.where.file
    seen: set[str] = set()
    for i, code in enumerate(cl.codes):
        if code.code in seen:
            ctx.add(
                "X009",
                f,
                (*cl.where.path, "codes", i, "code"),
                f"代码 `{code.code}` 在 {cl.id} 中重复",
            )
        seen.add(code.code)
    if cl.source and _dangling(cat, cl.source, cat.standards):
        ctx.add(
            "X002",
            f,
            (*cl.where.path, "source"),
            f"来源标准 `{cl.source}` 不存在",
            _near(cl.source, cat.standards),
        )
    if not cat.code_list_users(cl.id):
        ctx.add("W003", f, (*cl.where.path, "id"), f"代码集 `{cl.id}` 未被任何数据元引用")


def _lists(cat: Catalogue, ctx: _Ctx, datasets: set[str] | None) -> None:
    seen: dict[str, str] = {}
    item_ids = {item.id for lst in cat.lists.values() for item in lst.items}
    for lst in cat.lists.values():
        for item in lst.items:
            _list_links(item, item_ids, cat.invalid_ids, datasets, ctx)
            if lst.kind == ListKind.POLICIES:
                _policy_source(item, ctx)
            f = item.where.file
            if item.id in seen:
                ctx.add(
                    "X010",
                    f,
                    (*item.where.path, "id"),
                    f"事项编码 `{item.id}` 已在 {seen[item.id]} 中使用",
                )
            seen[item.id] = f
            for j, ref in enumerate(item.governed_by):
                if _dangling(cat, ref, cat.standards):
                    ctx.add(
                        "X002",
                        f,
                        (*item.where.path, "governed_by", j),
                        f"标准 `{ref}` 不存在",
                        _near(ref, cat.standards),
                    )


def _list_links(
    item: ListItem,
    item_ids: set[str],
    invalid: set[str],
    datasets: set[str] | None,
    ctx: _Ctx,
) -> None:
    """Related items an item names must exist: they become links (an error). A dataset it
    names that does not exist is a warning: lists and datasets are published by different
    units on their own schedules, a dataset not (yet, or no longer) published must not hold
    back the list, and the site links only the datasets it publishes."""
    f, at = item.where.file, item.where.path
    for j, other in enumerate(item.related):
        if other == item.id:
            ctx.add(
                "S011",
                f,
                (*at, "related", j),
                f"相关事项 `{other}` 是本事项自己",
                "删除这一项：事项不必与自己关联",
            )
        elif other not in item_ids and other not in invalid:
            ctx.add(
                "S011",
                f,
                (*at, "related", j),
                f"相关事项 `{other}` 不存在",
                _near(other, item_ids, item.id),
            )
    for j, name in enumerate(item.datasets):
        if datasets is not None and name not in datasets:
            ctx.add(
                "W005",
                f,
                (*at, "datasets", j),
                f"开放数据集 `{name}` 不存在（datasets/ 下没有这个目录），清单页面不链接它",
                _near(name, datasets)
                or ("现有数据集：" + "、".join(sorted(datasets)) if datasets else ""),
            )


def _policy_source(item: ListItem, ctx: _Ctx) -> None:
    """A policy is published so that people can read it: it needs its text or a link to its
    official source. An error, not a warning: an entry with only a title and a number sends
    the reader away empty-handed, and cannot be checked against the original."""
    if item.text or item.fields.get("url"):
        return
    ctx.add(
        "S013",
        item.where.file,
        (*item.where.path, "id"),
        f"政策法规 `{item.id}` 既没有正文 text，也没有官方原文链接 url："
        "读者无从查阅和核对原文，因此不予发布",
    )


def _placeholders(std: Standard, ctx: _Ctx) -> None:
    """A standard that has left 草案 is read by the public: a value `stdhub new` wrote as a
    placeholder and nobody replaced is an error at its field."""
    if std.status == Status.DRAFT:
        return
    for path, value in placeholders_in(std.raw):
        ctx.add(
            "X033",
            std.where.file,
            path,
            f"“{value}”是 `stdhub new` 留下的占位内容，状态已是“{std.status}”",
            "填写实际内容；还在起草的，状态保持“草案”",
        )


def _lists_follow(cat: Catalogue, ctx: _Ctx, today: dt.date) -> None:
    """A list item governed by a standard that no longer applies on `today` (withdrawn, or
    superseded) is a warning naming the item: the site marks it and links the successor. A
    policy itself no longer in force (`validity` 失效 or 废止) may keep the standard it had."""
    for lst in cat.lists.values():
        for item in lst.items:
            if item.fields.get("validity") in ("失效", "废止"):
                continue
            for j, sid in enumerate(item.governed_by):
                std = cat.standards.get(sid)
                if std is None:
                    continue
                shown = cat.status(std, today)
                if shown not in (Shown.SUPERSEDED, Shown.WITHDRAWN):
                    continue
                on = std.ceased_on(cat.successor(std))
                when = f"已于 {on} " if on else "已"
                new = cat.replacement(std, today)
                ctx.add(
                    "W010",
                    item.where.file,
                    (*item.where.path, "governed_by", j),
                    f"{lst.title}事项 `{item.id} {item.name}` 的依据标准 `{sid}` {when}{shown}",
                    f"改为 `{new.id}`" if new else "改为现行的标准，或删除这一项",
                )
