"""`stdhub validate`: everything that can be checked before anything is published."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stdhub.errors import UsageError
from stdhub.problems import Report
from stdhub.standards.loader import load_catalogue


def validate_all(root: Path, *, today: dt.date | None = None) -> Report:
    """Validate the standards tree (and, once they exist, the datasets) into one report."""
    if not root.is_dir():
        raise UsageError(f"找不到标准目录 {root}（no such folder）；用 --root 指定")
    _, report = load_catalogue(root, today=today, base=root.parent)
    return report
