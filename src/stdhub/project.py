"""The project: where its parts are, and loading all of them with every check across them.

A project is a folder holding `standards/` (the YAML staff edit), `datasets/` (the open
data packages), `feedback/` (the comments staff answer) and, once built, `build/`. This
module is the one that knows all four: `stdhub.standards` loads and checks the standards
alone, `stdhub.feedback` the comments, `stdhub.datasets` the packages; `load_catalogue`
reads them in the order the checks need and runs the checks that span them, for
`validate`, `build`, `serve` and the site's build hook alike.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stdhub.config import report_settings
from stdhub.datasets.descriptor import discover as discover_datasets
from stdhub.feedback import dispositions, targets
from stdhub.personal.exceptions import report_project_exceptions
from stdhub.personal.screen import screen_pages
from stdhub.problems import Report
from stdhub.standards.loader import load_standards
from stdhub.standards.model import Catalogue


def load_catalogue(
    root: Path,
    report: Report | None = None,
    *,
    today: dt.date | None = None,
    base: Path | None = None,
    datasets: Path | None = None,
) -> tuple[Catalogue, Report]:
    """Load, validate and cross-check the standards folder `root` of the project `base`
    (default: `root`'s parent) with its comments and datasets. The catalogue holds every
    valid file; `report` (new if None) every problem. `datasets`: the folder of dataset
    packages that list items and comments may name (default `base/datasets`; when it does
    not exist, list items' dataset names are not checked). `today`: the day statuses and
    deadlines are judged on (default: the clock's)."""
    report = report if report is not None else Report()
    base = base if base is not None else root.parent
    datasets = datasets if datasets is not None else base / "datasets"
    today = today or dt.date.today()
    # the comments staff answer are read first: the checks of the standards read them (W004)
    feedback = dispositions.load_feedback(base, report)
    # a project without a datasets folder publishes no open data: list items cannot be
    # checked against it (and `stdhub build` makes no dataset pages to link to)
    names = {f.name for f in discover_datasets(datasets)} if datasets.is_dir() else None
    catalogue, positions = load_standards(
        root, report, today=today, base=base, dataset_names=names, feedback=feedback
    )
    report_project_exceptions(base, report)
    report_settings(base, report)
    # the comments staff answer, checked against everything above
    for f in feedback.files.values():
        for path in [f.path, *f.parts] if f.path else []:
            positions.files[f"{dispositions.FOLDER}/{path.name}"] = path
    named = targets.dataset_names(datasets)
    dispositions.check(catalogue, feedback, positions, report, today, named)
    return catalogue, report


def check_sources(
    root: Path, *, today: dt.date | None = None, datasets: Path | None = None
) -> tuple[Catalogue, Report]:
    """What `validate` and `build` check first, the same for both: the standards folder
    `root` with its project's comments and settings (`load_catalogue`) and the hand-written
    pages under `docs/` (screened for personal data). The datasets come next: `validate`
    checks them, `build` checks and loads them (`stdhub.datasets`)."""
    catalogue, report = load_catalogue(root, today=today, base=root.parent, datasets=datasets)
    screen_pages(root.parent / "docs", root.parent, report)
    return catalogue, report
