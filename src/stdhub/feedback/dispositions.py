"""The feedback files under `feedback/`: the comments staff answer, loaded, modelled and checked.

One YAML file per thing commented on (a standard's version, a dataset, a code list, a public
list), named from its id like the standards (`feedback/HNMZ-T-0206-2026.yaml`); schema
`stdhub/schemas/feedback.json`. When a file has grown to `pull.PART_BYTES`, pull continues
in the next part (`HNMZ-T-0206-2026.2.yaml`, `.3.yaml`, …, the same `about`): the parts are
read as one file, so no file outgrows the loader's limit however many comments arrive. `stdhub feedback pull` appends comments to it; staff fill in
each comment's `disposition` (采纳 / 部分采纳 / 不采纳 / 已答复), `reason` (理由), `change`
(修改情况) and optionally `answered` (答复日期).

`load_feedback` reads the folder into `FeedbackFile`s (schema, file name, personal-data
screen); `check` cross-checks them against the catalogue (ids unique, targets exist, closed
consultations answered, dispositions complete), after the standards are loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from stdhub.feedback.targets import Targets, anchors
from stdhub.personal.screen import screen_tree
from stdhub.problems import Report, rename_command
from stdhub.standards import schemacheck
from stdhub.standards.model import Catalogue, Standard, slug
from stdhub.vocab import Shown
from stdhub.yamlsource import load

if TYPE_CHECKING:
    from stdhub.standards.loader import Positions

FOLDER = "feedback"
SCHEMA = "feedback"
CHINA = dt.timezone(dt.timedelta(hours=8))  # dates of the department's calendar
ANSWER_DAYS = 60
"""A comment waiting longer than this many days for its disposition is reported (W008).
HNMZ/T 0001 asks for an answer within the consultation's handling period; 60 days is the
longest such period of the shipped standards."""
NOT_FOUND = "位置不存在"
"""How staff see a comment whose form named a place the project does not have (an anchor
no clause has, a page since removed): `stdhub feedback pull` files it on the whole of what
exists, keeping what the form named in `not_found`, so no comment can stop publishing."""


class Disposition(StrEnum):
    """How a comment was handled (处理结果), in the order the public table sums them."""

    ADOPTED = "采纳"
    PARTLY = "部分采纳"
    REJECTED = "不采纳"
    ANSWERED = "已答复"

    @property
    def needs_reason(self) -> bool:
        return self is not Disposition.ADOPTED

    @property
    def needs_change(self) -> bool:
        return self in (Disposition.ADOPTED, Disposition.PARTLY)


@dataclass(frozen=True)
class Entry:
    """One comment of a feedback file, with its disposition once staff have recorded one."""

    id: str
    received: str  # UTC, `2026-05-10T02:30:00Z`
    about: str
    text: str
    version: str = ""
    title: str = ""
    anchor: str = ""
    disposition: Disposition | None = None
    reason: str = ""
    change: str = ""
    answered: dt.date | None = None
    not_found: str = ""  # what the form named that does not exist (see NOT_FOUND)
    file: str = ""  # the file it is in (as shown in messages)
    index: int = 0  # its place in the file's `comments`

    @property
    def received_on(self) -> dt.date:
        """The day it arrived, on the department's calendar (UTC+8)."""
        stamp = dt.datetime.fromisoformat(self.received.replace("Z", "+00:00"))
        return stamp.astimezone(CHINA).date()

    @property
    def path(self) -> tuple[str | int, ...]:
        return ("comments", self.index)

    @property
    def clause(self) -> str:
        """The clause number the anchor names (`clause-5-4` -> `5.4`), else ""."""
        if self.anchor.startswith("clause-"):
            return self.anchor.removeprefix("clause-").replace("-", ".")
        return ""


@dataclass
class FeedbackFile:
    about: str
    title: str
    entries: list[Entry]
    file: str  # as shown in messages, e.g. `feedback/HNMZ-T-0206-2026.yaml`
    path: Path | None = None
    parts: list[Path] = field(default_factory=list)  # its later parts (`file_name`), if any

    @property
    def answered(self) -> list[Entry]:
        return [e for e in self.entries if e.disposition is not None]

    @property
    def waiting(self) -> list[Entry]:
        return [e for e in self.entries if e.disposition is None]

    def counts(self) -> dict[Disposition, int]:
        """How many comments got each disposition (every disposition, zeros included)."""
        return {d: sum(1 for e in self.entries if e.disposition == d) for d in Disposition}

    def published_on(self) -> dt.date | None:
        """When its latest answer was published: the newest `answered` date, else None."""
        dates = [e.answered for e in self.entries if e.answered]
        return max(dates) if dates else None


@dataclass
class Feedback:
    """Every feedback file, by the `about` of the file."""

    files: dict[str, FeedbackFile] = field(default_factory=dict)

    def for_about(self, about: str) -> FeedbackFile | None:
        return self.files.get(about)

    def entries(self) -> Iterable[Entry]:
        for f in self.files.values():
            yield from f.entries

    def about(self, about: str) -> list[Entry]:
        """Every comment whose own `about` is `about` (in any file)."""
        return [e for e in self.entries() if e.about == about]


def file_name(about: str, part: int = 1) -> str:
    """The file that holds comments on `about`: `HNMZ/T 0206-2026` -> `HNMZ-T-0206-2026.yaml`;
    its later parts `HNMZ-T-0206-2026.2.yaml`, …"""
    return slug(about) + (f".{part}" if part > 1 else "") + ".yaml"


def part_of(name: str, about: str) -> int | None:
    """Which part of `about`'s comments the file `name` is (1, 2, …), None if none."""
    stem = slug(about)
    if name == f"{stem}.yaml":
        return 1
    middle = name.removeprefix(f"{stem}.").removesuffix(".yaml")
    if name.startswith(f"{stem}.") and name.endswith(".yaml") and middle.isdecimal():
        part = int(middle)
        return part if part > 1 and middle == str(part) else None
    return None


def load_feedback(base: Path, report: Report) -> Feedback:
    """Read `base/feedback/*.yaml` (none: empty). Problems (YAML, schema, file name, personal
    data) go to `report`; only files that pass are in the result."""
    folder = base / FOLDER
    found = Feedback()
    if not folder.is_dir():
        return found
    paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    report.files_checked += len(paths)
    parts: list[tuple[str, int, str, list[Entry], str, Path]] = []
    for path in paths:
        display = f"{FOLDER}/{path.name}"
        source = load(path, report, display)
        if source is None:
            continue
        screen_tree(source.data, source.where, display, report)
        if not schemacheck.check(source, SCHEMA, report):
            continue
        data = source.data
        expected = file_name(data["about"])
        part = part_of(path.name, data["about"])
        if part is None:
            report.add(
                "F003",
                display,
                f"对象 `{data['about']}` 的意见文件应命名为 `{expected}`",
                hint=rename_command(display, expected),
            )
            continue
        entries = [_entry(c, display, i) for i, c in enumerate(data["comments"])]
        parts.append((data["about"], part, data.get("title", ""), entries, display, path))
    for about, _, title, entries, display, path in sorted(parts, key=lambda p: p[:2]):
        held = found.files.get(about)
        if held is None:
            found.files[about] = FeedbackFile(about, title, entries, display, path)
        else:  # a later part (`file_name`): its comments continue the first part's
            held.entries.extend(entries)
            held.parts.append(path)
    return found


def _entry(d: dict, file: str, index: int) -> Entry:
    answered = d.get("answered")
    return Entry(
        id=d["id"],
        received=d["received"],
        about=d["about"],
        text=d["text"],
        version=d.get("version", ""),
        title=d.get("title", ""),
        anchor=d.get("anchor", ""),
        disposition=Disposition(d["disposition"]) if d.get("disposition") else None,
        reason=d.get("reason") or "",
        change=d.get("change") or "",
        answered=dt.date.fromisoformat(answered) if answered else None,
        not_found=d.get("not_found") or "",
        file=file,
        index=index,
    )


# -- what a comment can be about --------------------------------------------------------


def consultation_closed(std: Standard, today: dt.date) -> bool:
    """Its public consultation is over: it was consulted and is neither open nor to come."""
    shown = std.display_status(today)
    return std.was_consulted() and shown not in (Shown.CONSULTING, Shown.CONSULTATION_SOON)


def of_consultation(std: Standard, entry: Entry) -> bool:
    """Did `entry` arrive during (or before the end of) `std`'s consultation?"""
    end = std.dates.consultation_end or std.dates.issued
    return end is None or entry.received_on <= end


# -- cross-checks ------------------------------------------------------------------------


def check(
    cat: Catalogue,
    feedback: Feedback,
    positions: Positions,
    report: Report,
    today: dt.date,
    datasets: set[str],
) -> None:
    """X020–X026, W008 and W015 over every feedback file (see `stdhub.codes`)."""
    targets = Targets(cat, datasets)
    seen: dict[str, str] = {}

    def add(code: str, e: Entry | FeedbackFile, path: tuple, message: str, hint: str = "") -> None:
        line, col = positions.where(e.file, path)
        report.add(code, e.file, message, line=line, column=col, path=path, hint=hint)

    for f in feedback.files.values():
        if targets.subject(f.about) is None:
            hint = schemacheck._did_you_mean(f.about, targets.choices())
            add("X021", f, ("about",), f"意见针对的对象 `{f.about}` 不存在", hint)
        for e in f.entries:
            if e.id in seen:
                add("X020", e, (*e.path, "id"), f"意见编号 `{e.id}` 已在 {seen[e.id]} 中使用")
            seen.setdefault(e.id, e.file)
            if e.not_found and e.disposition is None:
                add(
                    "W015",
                    e,
                    (*e.path, "not_found"),
                    f"意见 {e.id} 所指的 `{e.not_found}` {NOT_FOUND}，已按 {f.about} 的整体意见归档",
                )
            _target(targets, e, add)
            _disposition(cat, f, e, today, add)


def _target(targets: Targets, e: Entry, add: Callable[..., None]) -> None:
    if targets.subject(e.about) is None:
        hint = schemacheck._did_you_mean(e.about, targets.choices())
        add("X021", e, (*e.path, "about"), f"意见针对的对象 `{e.about}` 不存在", hint)
        return
    std = targets.cat.standards.get(e.about)
    if std is None or not e.anchor:
        return
    known = anchors(std)
    if e.anchor not in known:
        hint = (
            schemacheck._did_you_mean(e.anchor, known) or "条款写作 clause-5-4，数据元写作 de-标识"
        )
        add("X022", e, (*e.path, "anchor"), f"{std.id} 中没有位置 `{e.anchor}`", hint)


def _disposition(
    cat: Catalogue, f: FeedbackFile, e: Entry, today: dt.date, add: Callable[..., None]
) -> None:
    d = e.disposition
    if d is None:
        std = cat.standards.get(e.about)
        if std and consultation_closed(std, today) and of_consultation(std, e):
            end = std.dates.consultation_end
            add(
                "X023",
                e,
                (*e.path, "disposition"),
                f"{std.id} 的征求意见已于 {end or '发布前'} 结束，意见 {e.id} 还没有处理结果",
            )
        elif (today - e.received_on).days > ANSWER_DAYS:
            add(
                "W008",
                e,
                (*e.path, "disposition"),
                f"意见 {e.id} 收到于 {e.received_on}，已超过 {ANSWER_DAYS} 天未答复",
            )
        return
    if d.needs_reason and not e.reason.strip():
        add("X024", e, (*e.path, "reason"), f"处理结果为“{d}”，但没有写理由 reason")
    if d.needs_change and not e.change.strip():
        add("X024", e, (*e.path, "change"), f"处理结果为“{d}”，但没有写修改情况 change")
    if e.answered and e.answered < e.received_on:
        add(
            "X025",
            e,
            (*e.path, "answered"),
            f"答复日期 {e.answered} 早于收到日期 {e.received_on}",
        )
    if e.answered and e.answered > today:  # an answer is recorded once it is given
        add(
            "S014",
            e,
            (*e.path, "answered"),
            f"答复日期 {e.answered} 晚于今天（{today}）",
        )
