"""Publish a folder all at once: build beside it, then swap, so a failure leaves the old one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_output(final: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces `final`, on error it is removed.

    The swap is two renames on one filesystem, so readers see either the old folder or
    the new one, never a half-written mix.
    """
    final = final.resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.with_name(f".{final.name}.staging")
    retired = final.with_name(f".{final.name}.old")
    for leftover in (staging, retired):
        if leftover.exists():
            shutil.rmtree(leftover)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)
