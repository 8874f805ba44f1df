"""The quality indicator shown on each dataset page: three scores out of 100 and their mean.

- 元数据完整度 completeness: the data step's score of the descriptor's metadata;
- 数据有效性 validity: 100 with no validation errors, minus 5 per warning (at least 60);
  0 when there are errors (such a dataset is not built, so this shows only in tests);
- 更新及时性 freshness: the last update against the declared update frequency —
  100 when the next update is not yet due, 50 within one more period, else 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdhub.datasets.manifest import Dataset

# How long each declared frequency allows between updates (with a few days' grace).
PERIOD_DAYS = {
    "实时": 2,
    "每日": 2,
    "每周": 8,
    "每月": 35,
    "每季度": 100,
    "每半年": 190,
    "每年": 380,
    "不定期": 760,
}


@dataclass(frozen=True)
class Quality:
    completeness: int
    validity: int
    freshness: int
    next_due: dt.date | None
    missing: tuple[str, ...] = ()

    @property
    def score(self) -> int:
        return round((self.completeness + self.validity + self.freshness) / 3)

    @property
    def grade(self) -> str:
        s = self.score
        return "优" if s >= 90 else "良" if s >= 75 else "中" if s >= 60 else "差"


def freshness(last: dt.date | None, frequency: str, today: dt.date) -> tuple[int, dt.date | None]:
    days = PERIOD_DAYS.get(frequency)
    if last is None or days is None:
        return 0, None
    due = last + dt.timedelta(days=days)
    if today <= due:
        return 100, due
    return (50 if today <= due + dt.timedelta(days=days) else 0), due


def validity(errors: int, warnings: int) -> int:
    return 0 if errors else max(60, 100 - 5 * warnings)


def assess(dataset: Dataset, today: dt.date) -> Quality:
    fresh, due = freshness(dataset.last_updated, dataset.update_frequency, today)
    v = dataset.validation
    return Quality(
        completeness=int(dataset.quality.get("score", 0)),
        validity=validity(int(v.get("errors", 0)), int(v.get("warnings", 0))),
        freshness=fresh,
        next_due=due,
        missing=tuple(dataset.quality.get("missing") or ()),
    )
