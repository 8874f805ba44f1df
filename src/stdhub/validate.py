"""`stdhub validate`: everything that can be checked before anything is published."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stdhub.errors import UsageError
from stdhub.problems import Report
from stdhub.progress import Steps
from stdhub.project import check_sources


def validate_all(
    root: Path,
    *,
    today: dt.date | None = None,
    datasets: Path | None = None,
    steps: Steps | None = None,
) -> Report:
    """Validate the standards tree and the datasets (default: `datasets/` beside it) into one
    report. `steps` shows the two steps (`stdhub.progress`; default: silent)."""
    if not root.is_dir():
        raise UsageError(f"找不到标准目录 {root}（no such folder）；用 --root 指定")
    if datasets is not None and not datasets.is_dir():
        raise UsageError(f"找不到数据集目录 {datasets}（no such folder）；用 --datasets 指定")
    datasets = datasets or root.parent / "datasets"
    steps = steps or Steps("quiet")
    with steps.step("检查标准") as step:
        catalogue, report = check_sources(root, today=today, datasets=datasets)
        step.detail = f"{len(catalogue.standards)} 项标准"
    if datasets.is_dir():
        from stdhub.datasets.check import check_datasets

        with steps.step("检查数据") as step:
            checked, found = check_datasets(datasets, catalogue, root.parent)
            step.detail = f"{len(checked)} 个数据集"
        report.extend(found)
    steps.close()
    return report
