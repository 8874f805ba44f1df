"""Publish `build/data/`, `build/site/` and `build/datasette/` together, once per build.

A build writes the three folders side by side into `build/.staging/` and, only when all
three are complete, swaps them in with a short sequence of renames guarded by a journal:

    build/
      data/ site/ datasette/   what users, `stdhub serve` and deployments read (real folders)
      .staging/                the next build's three folders, while it runs
      .swap.json               the journal: written (atomically) once staging is complete;
                               its presence means "these folders are to be swapped in"
      .retired/                the previous folders, for the instant of the swap
      (the folder itself)      one build at a time (flock on build/, released by the kernel on kill -9)

Why a journal and not a `build/current` symlink swapped with one rename(2): the three
paths stay real folders, so `cp -r build/datasette /srv/…` and `rsync build/site …` copy
files as they always did (with symlinks they would copy a link). The journal gives the
same guarantee after a crash: before it is written nothing published has been touched (a
failure, a full disk or `kill -9` only leaves `.staging/`, which the next build or
`stdhub serve` removes); once it is written the swap is decided, and whoever runs next
(`recover`) finishes it. Each step of the swap is a rename on one filesystem and is
repeatable, so a crash during recovery is recovered the same way.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NAMES = ("data", "site", "datasette")
STAGING = ".staging"
RETIRED = ".retired"
JOURNAL = ".swap.json"
LOCK = ".lock"
# Left by stdhub before one swap per build (`.site.staging`, `.data.old`, …, `.site-src`).
LEGACY = (
    *(f".{name}.{suffix}" for name in NAMES for suffix in ("staging", "old")),
    ".site.staging.static",
    ".site-src",
)


@contextmanager
def staged_build(build_dir: Path) -> Iterator[Path]:
    """Yield an empty staging folder; write `data/`, `site/` and `datasette/` into it.

    On success every folder in staging replaces its namesake in `build_dir` (those not
    written are left as they are); on any error (or `kill -9`) `build_dir` is unchanged
    and the staging folder is removed (at the latest by the next build). One build at a
    time: a second one waits for the first.
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    with _locked(build_dir):
        _recover(build_dir)
        staging = build_dir / STAGING
        staging.mkdir()
        try:
            yield staging
            (build_dir / RETIRED).mkdir()  # now: once the journal is written, only renames
            _write_journal(build_dir, [name for name in NAMES if (staging / name).is_dir()])
        except BaseException:
            _remove_debris(build_dir)
            raise
        _recover(build_dir)


def recover(build_dir: Path) -> None:
    """Finish a swap a killed build had decided on, and remove what a killed build left.

    Called by every build before it starts and by `stdhub serve` before it reads `build/`.
    """
    if build_dir.is_dir():
        with _locked(build_dir):
            _recover(build_dir)


def _recover(build_dir: Path) -> None:
    journal = build_dir / JOURNAL
    if journal.exists():
        names = json.loads(journal.read_text(encoding="utf-8"))["swap"]
        _swap(build_dir, names)
        journal.unlink()
        _sync(build_dir)
    _remove_debris(build_dir)


def _remove_debris(build_dir: Path) -> None:
    for name in (STAGING, RETIRED, *LEGACY):
        shutil.rmtree(build_dir / name, ignore_errors=True)
    (build_dir / f"{JOURNAL}.tmp").unlink(missing_ok=True)
    (build_dir / LOCK).unlink(missing_ok=True)  # the lock file of earlier versions


def _swap(build_dir: Path, names: list[str]) -> None:
    """Move each staged folder into place, the old one aside; repeatable after a crash."""
    staging, retired = build_dir / STAGING, build_dir / RETIRED
    retired.mkdir(exist_ok=True)
    for name in names:
        new, final, old = staging / name, build_dir / name, retired / name
        if not new.exists():
            continue  # swapped in before the crash
        if final.exists():
            if old.exists():
                shutil.rmtree(old)
            final.rename(old)
        new.rename(final)


def _write_journal(build_dir: Path, names: list[str]) -> None:
    """The commit point: written to a temporary file, flushed to disk, renamed into place."""
    tmp = build_dir / f"{JOURNAL}.tmp"
    with tmp.open("w", encoding="utf-8") as f:
        json.dump({"swap": names}, f)
        f.flush()
        os.fsync(f.fileno())
    tmp.rename(build_dir / JOURNAL)
    _sync(build_dir)


def _sync(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _locked(build_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder itself: nothing is written to take it."""
    fd = os.open(build_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock (and the kernel does so on kill -9)


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """`target` as a hard link to `source` (no bytes copied: a build's files are never
    written in place, each is replaced whole), or a copy where links cannot be made
    (another filesystem). The `copy_function` of `shutil.copytree` too."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
