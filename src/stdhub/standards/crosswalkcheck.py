"""The crosswalk of division changes against the editions and the generated library.

- X015: each code that disappears (or appears) between two editions, at a level both
  have, has an entry; no entry contradicts an edition.
- X016: the code lists are what `stdhub divisions generate` makes of the editions present
  and the crosswalk; when not (a new edition, an entry added), one message says what to run
  instead of one per code.
- X017: every edition has exactly one readable file holding the levels it says, and every
  file in the editions folder is an edition.
- X018: a merger names the unit it went into, a split all its successors.
- X019: every data element that holds a division code names the code list of its level.

The editions are read from their files when the project has the editions folder, else
taken from the code lists (each code's `editions`): the checks then hold the crosswalk
against what the library says.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path

from stdhub.standards.divisions import (
    EDITIONS_FOLDER,
    LEVEL_NAMES,
    SURVIVOR_KINDS,
    Change,
    Crosswalk,
    Division,
    EditionError,
    View,
    code_key,
    codes_by_value,
    history,
    level_of,
    read_editions,
    unlisted_files,
    view_of_code_lists,
)
from stdhub.standards.model import Catalogue, Code

Add = Callable[[str, str, tuple, str, str], None]  # code, file, path, message, hint
GENERATE = "运行 stdhub divisions generate 重新生成代码集和 datasets/hunan-divisions/，再运行 stdhub validate"
SHOWN = 3  # examples named in a message about many codes
_NAMED = re.compile(
    r"并入\s*([0-9]{6}(?:[0-9]{3}){0,2})\s*([^\s，。,;；（(]+)"
)  # 并入 431126002 舜陵街道


def check(cat: Catalogue, add: Add) -> None:
    project = cat.root.parent
    for cw in cat.crosswalks.values():
        _check_one(cat, cw, project, add)
    _elements(cat, add)


def _check_one(cat: Catalogue, cw: Crosswalk, project: Path, add: Add) -> None:
    f = cw.where.file
    for i, list_id in enumerate(cw.code_lists):
        if list_id not in cat.code_lists and list_id not in cat.invalid_ids:
            add("X015", f, ("code_lists", i), f"代码集 `{list_id}` 不存在", "")
    _entries(cw, add)
    if (project / EDITIONS_FOLDER).is_dir():
        for path in unlisted_files(project, cw):
            add(
                "X017",
                f,
                ("editions",),
                f"{EDITIONS_FOLDER}/{path.name} 不属于 editions 中的任何版次",
                "在 editions 中加一条：id 写文件名中的年份，date 写该版的截止日期，levels 写它含的层级",
            )
        try:
            view = read_editions(project, cw)
        except EditionError as exc:
            add("X017", f, ("editions",), str(exc), _place_file())
            return  # without every edition, the checks below would not tell the truth
        for edition in cw.editions:
            found = sorted({r.level for r in view[edition.id].values()})
            if found != edition.levels:
                add(
                    "X017",
                    f,
                    ("editions", edition.index, "levels"),
                    f"版次 {edition.id} 的文件含层级 {found}，editions 中写的是 {edition.levels}",
                    f"把 levels 改为 {found}（1 省级、2 地级、3 县级、4 乡级、5 村级）",
                )
    else:
        view = view_of_code_lists(cat, cw)
    _between_editions(cw, view, add)
    _against_editions(cw, view, add)
    _library(cat, cw, view, add)


def _place_file() -> str:
    return (
        f"把国家统计局该版的文件（CSV：code、name、level、parent_code）放到 {EDITIONS_FOLDER}/，"
        "文件名含版次 id，如 nbs-2024-hunan-levels-1-5.csv；或在该版次下写 file: 指明"
    )


def _entries(cw: Crosswalk, add: Add) -> None:
    f = cw.where.file
    for ch in cw.changes:
        where = ("changes", ch.index)
        if ch.kind == "更名" and not ch.renames_only:
            add(
                "X015",
                f,
                (*where, "kind"),
                "“更名”的原代码与新代码应相同",
                "代码也变了的，写作“变更代码”",
            )
        if ch.kind == "合并" and not ch.new:
            named = _NAMED.search(ch.note)
            add(
                "X018",
                f,
                (*where, "kind"),
                "“合并”没有写并入哪个区划（new），按时期检查数据时无法指出接替的代码",
                (
                    f'备注说并入 {named[1]} {named[2]}：加一行 new: [{{code: "{named[1]}", name: {named[2]}}}]'
                    if named
                    else '加 new: [{code: "并入的区划的代码", name: 它的名称}]'
                )
                + "；并入的区划代码不变的，写它原来的代码",
            )
        after = {s.code for s in ch.new}
        if ch.kind == "拆分" and len(after) < 2:
            add(
                "X018",
                f,
                (*where, "new" if ch.new else "kind"),
                f"“拆分”只写了 {len(after)} 个拆分后的区划，应写出全部（至少两个）",
                "在 new 中逐个写出拆分后的区划（code、name）；原区划保留代码的，也写进 new",
            )


def _between_editions(cw: Crosswalk, view: View, add: Add) -> None:
    """Each code that disappears or appears between two editions has an entry between them."""
    f = cw.where.file
    by_old: dict[str, list] = {}
    by_new: dict[str, list] = {}
    for ch in cw.changes:  # the changes that end a code, and those that start one
        olds, news = {s.code for s in ch.old}, {s.code for s in ch.new}
        for code in olds - news:
            by_old.setdefault(code, []).append(ch)
        for code in news - olds:
            by_new.setdefault(code, []).append(ch)
    for before, after in itertools.pairwise(cw.editions):
        both = set(before.levels) & set(after.levels)
        was, now = view.get(before.id, {}), view.get(after.id, {})
        for code in sorted(was.keys() ^ now.keys()):
            row = was.get(code) or now[code]
            if row.level not in both:
                continue
            gone = code in was
            changes = by_old.get(code, []) if gone else by_new.get(code, [])
            if any(before.date < ch.date <= after.date for ch in changes):
                continue
            what = f"{before.id} 版有、{after.id} 版没有" if gone else f"{after.id} 版新出现"
            fix = "撤销、合并（或撤县设市等）" if gone else "新设（或作为某次变更的新代码）"
            add(
                "X015",
                f,
                ("changes",),
                f"{code} {row.name} {what}，但 {before.date} 之后、{after.date} 及以前没有它的变更记录",
                f"在 changes 中加一条{fix}，日期在两版之间（草稿：stdhub divisions diff 旧版.csv 新版.csv）",
            )


def _against_editions(cw: Crosswalk, view: View, add: Add) -> None:
    """No entry says a code ended while a later edition still has it, or began while an
    earlier one already had it (a unit that survives a merger or split keeps its code);
    the first edition after a rename has the new name."""
    f = cw.where.file
    ended: dict[str, list] = {}  # code -> the dates changes ended it
    for ch in cw.changes:
        for s in ch.old:
            if all(s.code != n.code for n in ch.new):
                ended.setdefault(s.code, []).append(ch.date)
    for ch in cw.changes:
        if ch.renames_only:
            _rename(cw, ch, view, add)
            continue
        where = ("changes", ch.index)
        news = {s.code for s in ch.new}
        for j, s in enumerate(ch.old):
            if s.code in news:
                continue
            late = [e.id for e in cw.editions if e.date >= ch.date and s.code in view.get(e.id, {})]
            if late:
                add(
                    "X015",
                    f,
                    (*where, "old", j, "code"),
                    f"{s.code} {s.name} 记为 {ch.date} {ch.kind}，但 {'、'.join(late)} 版中仍有它",
                    "核对变更日期；代码和区划都保留、只改了名称的，改为“更名”",
                )
        olds = {s.code for s in ch.old}
        for j, s in enumerate(ch.new):
            if s.code in olds:
                continue
            early = [e.id for e in cw.editions if e.date < ch.date and s.code in view.get(e.id, {})]
            first = next((e for e in cw.editions if e.date >= ch.date), None)
            missing = (
                first is not None
                and level_of(s.code) in first.levels
                and s.code not in view.get(first.id, {})
                and not any(ch.date < day <= first.date for day in ended.get(s.code, []))
            )
            if early and ch.kind in SURVIVOR_KINDS:
                continue  # merged into (or split towards) a unit that keeps its code
            if early or missing:
                said = (
                    f"{'、'.join(early)} 版中已有它"
                    if early or not first
                    else f"{first.id} 版中没有它"
                )
                hint = "核对变更日期和代码"
                if early:
                    hint += "；并入一个保留代码的区划的，类型写“合并”"
                add(
                    "X015",
                    f,
                    (*where, "new", j, "code"),
                    f"{s.code} {s.name} 记为 {ch.date} {ch.kind}的新代码，但{said}",
                    hint,
                )


def _rename(cw: Crosswalk, ch: Change, view: View, add: Add) -> None:
    for j, s in enumerate(ch.new):
        later = [
            c
            for c in cw.changes
            if c.renames_only and c.date > ch.date and any(x.code == s.code for x in c.new)
        ]
        first = next(
            (e for e in cw.editions if e.date >= ch.date and s.code in view.get(e.id, {})), None
        )
        if first is None or later:
            continue  # renamed again: the editions may show either name
        shown = view[first.id][s.code].name
        if shown != s.name:
            add(
                "X015",
                cw.where.file,
                ("changes", ch.index, "new", j, "name"),
                f"{s.code} 在 {first.id} 版中名为“{shown}”，与本条更名（{ch.date}）记的“{s.name}”不符",
                "核对更名日期和新旧名称",
            )


def _library(cat: Catalogue, cw: Crosswalk, view: View, add: Add) -> None:
    """The code lists hold what the editions and the crosswalk say: else one message."""
    f = cw.where.file
    stored = {code: c for code, (_, c) in codes_by_value(cat, cw).items()}
    if not stored:
        return  # the code lists are missing or failed their schema: reported already
    made = history(view, cw)
    absent = [
        e.id
        for e in cw.editions
        if view.get(e.id) and not any(e.id in c.editions for c in stored.values())
    ]
    differ = [
        code
        for code in sorted(made.keys() | stored.keys())
        if code not in made or code not in stored or made[code].key() != code_key(stored[code])
    ]
    if not differ:
        return
    said = f"版次 {'、'.join(absent)} 的代码尚未写入代码集；" if absent else ""
    examples = "、".join(_example(code, made, stored) for code in differ[:SHOWN])
    add(
        "X016",
        f,
        ("editions",),
        f"代码集 {'、'.join(cw.code_lists)} 不是由现有版次和本对照生成的：{said}"
        f"{len(differ)} 个代码与应有的不同（如 {examples}）",
        GENERATE,
    )


def _example(code: str, made: dict[str, Division], stored: dict[str, Code]) -> str:
    """`430124 宁乡县应自 2022-01-01 停用`: the code and the first thing that differs."""
    if code not in stored:
        return f"{code} {made[code].name}缺少"
    if code not in made:
        return f"{code} {stored[code].name}多出（不在任何版次和变更中）"
    d, (name, _parent, editions, valid_from, since, _, successors) = (
        made[code],
        code_key(stored[code]),
    )
    if tuple(d.editions) != editions:
        return f"{code} {d.name}应在 {'、'.join(d.editions) or '无'} 版"
    if d.valid_until != since:
        return f"{code} {d.name}" + (f"应自 {d.valid_until} 停用" if d.valid_until else "不应停用")
    if " ".join(d.successors) != successors:
        return f"{code} {d.name}的接替代码应为 {'、'.join(d.successors) or '无'}"
    if d.valid_from != valid_from:
        return f"{code} {d.name}的启用日期应为 {d.valid_from or '无'}"
    return f"{code} {d.name}" + (
        f"（代码集中名为“{name}”）" if name != d.name else "的上级或停用原因不同"
    )


# --- every division code element names its code list ----------------------------------

_DIVISION_PATTERN = re.compile(r"^\^[0-9]{2}\[0-9\]\{(4|7|10)\}\$$")
_LENGTHS = {"4": 6, "7": 9, "10": 12}


def _elements(cat: Catalogue, add: Add) -> None:
    """X019: a data element whose pattern is a division code of one level (`^43[0-9]{10}$`)
    names the code list of the crosswalks that holds that level."""
    lists: dict[int, str] = {}
    for cw in cat.crosswalks.values():
        for list_id in cw.code_lists:
            cl = cat.code_lists.get(list_id)
            if cl is not None and cl.codes:
                lists.setdefault(len(cl.codes[-1].code), list_id)
    if not lists:
        return
    for std in cat.standards.values():
        for i, el in enumerate(std.data_elements):
            m = _DIVISION_PATTERN.match(el.pattern or "")
            if m is None or el.code_list:
                continue
            length = _LENGTHS[m.group(1)]
            want = lists.get(length)
            if want is None:
                continue
            add(
                "X019",
                std.where.file,
                ("data_elements", i, "pattern"),
                f"数据元 {el.id} {el.name} 是{LEVEL_NAMES[level_of('4' * length)]}区划代码，却没有引用代码集，"
                "数据中的代码不会被检查（是否存在、在数据所属时期是否有效）",
                f"在该数据元下加一行 code_list: {want}",
            )
