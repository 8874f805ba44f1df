"""The steps of a long command (build, serve, validate): each named in Chinese, announced
before it starts and summarised when it ends, with a bar where the amount of work is known.

    steps = Steps.for_terminal(quiet=False)   # live bars on a terminal, plain lines elsewhere
    with steps.step("检查数据", total=7, unit="个数据集") as step:
        for ...: step.advance()
    steps.summary(["社会组织 1,234 行", …])

Three ways of showing them, chosen once per command (`for_terminal`):

- `live`: a terminal (stderr is a TTY): rich's progress bars, one line per step, kept
  when the step is done with its time;
- `plain`: CI, logs, pipes: one line when a step starts (`开始 …`) and one when it ends
  (`完成 …，N 秒`), nothing in between;
- `quiet` (`--quiet`): nothing.

Everything goes to stderr: stdout keeps what scripts read (reports, addresses).
A step may be entered more than once (`active`), e.g. checking and loading alternate per
dataset; its time is what it spent inside, its end line is printed by `finish`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

STARTED = "开始"
DONE = "完成"


def _warnings_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


def quiet_dependencies() -> None:
    """Third-party chatter off the user's screen: jieba announces loading its dictionary on
    its own logger (`Building prefix dict …`); only its warnings matter. A filter, not a
    level: importing jieba sets its logger's level to DEBUG (idempotent)."""
    logger = logging.getLogger("jieba")
    if _warnings_only not in logger.filters:
        logger.addFilter(_warnings_only)


def seconds(value: float) -> str:
    return f"{value:.1f} 秒"


class _Count(ProgressColumn):
    """`3/7 个数据集` where the amount of work is known; nothing where it is not."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit")
        if unit is None:
            return Text("")
        return Text(f"{int(task.completed)}/{int(task.total or 0)} {unit}".rstrip())


@dataclass
class Step:
    """One step: its name, the work known (`total`, in `unit`), what is done, its time."""

    steps: Steps
    name: str
    total: int | None = None
    unit: str = ""
    done: int = 0
    spent: float = 0.0
    detail: str = ""
    finished: bool = False
    task: TaskID | None = None
    _since: float | None = field(default=None, repr=False)

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        self.steps._update(self)

    @contextlib.contextmanager
    def active(self) -> Iterator[Step]:
        """Count the time spent inside towards this step."""
        self._since = time.perf_counter()
        try:
            yield self
        finally:
            self.spent += time.perf_counter() - self._since
            self._since = None

    def finish(self, detail: str = "") -> None:
        """The step's end: its line with `detail` (what it made) and its time."""
        if self.finished:
            return
        self.finished = True
        self.detail = detail or self.detail
        self.steps._finish(self)


class Steps:
    """The steps of one command, shown `live`, `plain` or `quiet` on `stream`."""

    def __init__(self, mode: str = "plain", stream: TextIO | None = None) -> None:
        if mode not in ("live", "plain", "quiet"):
            raise ValueError(mode)
        self.mode = mode
        self.stream = stream or sys.stderr
        self.steps: list[Step] = []
        self._progress: Progress | None = None
        self._start = time.perf_counter()

    @classmethod
    def for_terminal(cls, *, quiet: bool = False, stream: TextIO | None = None) -> Steps:
        stream = stream or sys.stderr
        if quiet:
            return cls("quiet", stream)
        terminal = stream.isatty() and os.environ.get("TERM", "") != "dumb"
        return cls("live" if terminal else "plain", stream)

    def start(self, name: str, total: int | None = None, unit: str = "") -> Step:
        """Announce a step; `finish` it when done (or use `step`)."""
        step = Step(self, name, total, unit)
        self.steps.append(step)
        if self.mode == "plain":
            work = f"（共 {total} {unit}）" if total is not None else ""
            self._line(f"{STARTED} {name}{work} …")
        elif self.mode == "live":
            progress = self._live()
            shown = None if total is None else unit
            step.task = progress.add_task(name, total=total, detail="", unit=shown)
        return step

    @contextlib.contextmanager
    def step(self, name: str, total: int | None = None, unit: str = "") -> Iterator[Step]:
        """A step from start to finish around the block (its time: the block's)."""
        step = self.start(name, total, unit)
        with step.active():
            yield step
        step.finish()

    def summary(self, facts: list[str]) -> None:
        """The end of the command: what was made, then the time of every step."""
        self.close()
        if self.mode == "quiet":
            return
        total = time.perf_counter() - self._start
        timing = "，".join(f"{s.name} {seconds(s.spent)}" for s in self.steps)
        lines = ["总结 summary:", *(f"  {fact}" for fact in facts)]
        lines.append(f"  用时 {seconds(total)}：{timing}" if timing else f"  用时 {seconds(total)}")
        for line in lines:
            self._line(line)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def _live(self) -> Progress:
        if self._progress is None:
            console = Console(file=self.stream, highlight=False)
            self._progress = Progress(
                SpinnerColumn(finished_text="✓"),
                TextColumn("{task.description}"),
                BarColumn(),
                _Count(),
                TextColumn("{task.fields[detail]}"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            )
            self._progress.start()
        return self._progress

    def _update(self, step: Step) -> None:
        if self._progress is not None and step.task is not None:
            self._progress.update(step.task, completed=step.done)

    def _finish(self, step: Step) -> None:
        end = (
            f"{DONE} {step.name}{'：' + step.detail if step.detail else ''}，{seconds(step.spent)}"
        )
        if self.mode == "plain":
            self._line(end)
        elif self._progress is not None and step.task is not None:
            total = step.total if step.total is not None else max(step.done, 1)
            self._progress.update(
                step.task,
                total=total,
                completed=total,
                description=end,
                detail="",
            )
            self._progress.stop_task(step.task)

    def _line(self, text: str) -> None:
        if self._progress is not None:
            self._progress.console.print(text, markup=False, highlight=False)
        else:
            print(text, file=self.stream, flush=True)
