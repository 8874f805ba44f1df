"""Work done by a second process while the builder runs: writing the downloads (thousands
of small files) and making the standards' search entries (jieba, see search.py).

The builder keeps one core busy; this keeps the other one busy. When the builder is done,
the downloads are moved in (one rename per top-level folder) and the entries returned.
Where forking is not safe (`stdhub.forking`) the same work is done afterwards, in this process.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stdhub.errors import StdhubError
from stdhub.forking import fork_context
from stdhub.site.generate import write

SearchJob = Callable[[], list[dict[str, Any]]]


def _work(files: dict[str, str | bytes], out: Path, jobs: list[SearchJob], entries: Path) -> None:
    write(files, out)
    made = [entry for job in jobs for entry in job()]
    entries.write_text(json.dumps(made, ensure_ascii=False), encoding="utf-8")


@contextmanager
def meanwhile(
    files: dict[str, str | bytes], jobs: list[SearchJob], site_dir: Path
) -> Iterator[list[dict[str, Any]]]:
    """Write `files` into `site_dir` and run the search `jobs` during the `with` block; the
    yielded list holds the jobs' entries once the block is over."""
    side = site_dir.with_name(site_dir.name + ".static")
    entries_file = site_dir.with_name(site_dir.name + ".search.json")
    for leftover in (side, entries_file):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        elif leftover.exists():
            leftover.unlink()
    entries: list[dict[str, Any]] = []
    ctx = fork_context()
    if ctx is None:  # no safe fork (see stdhub.forking): the same work, afterwards
        yield entries
        write(files, site_dir, clean=False)
        entries.extend(entry for job in jobs for entry in job())
        return
    job = ctx.Process(target=_work, args=(files, side, jobs, entries_file), daemon=True)
    job.start()
    try:
        yield entries
    except BaseException:
        job.join()
        shutil.rmtree(side, ignore_errors=True)
        entries_file.unlink(missing_ok=True)
        raise
    job.join()
    if job.exitcode != 0:
        shutil.rmtree(side, ignore_errors=True)
        raise StdhubError(
            f"写入下载文件或搜索索引失败（background work failed, exit {job.exitcode}）"
        )
    for entry in side.iterdir():
        target = site_dir / entry.name
        if target.exists():  # a folder the builder also wrote to: merge file by file
            shutil.copytree(entry, target, dirs_exist_ok=True)
        else:
            entry.rename(target)
    shutil.rmtree(side, ignore_errors=True)
    entries.extend(json.loads(entries_file.read_text(encoding="utf-8")))
    entries_file.unlink()
