"""复审 fed by use: which standards in force are due for review, and what the public said.

A standard in force is due for review (复审) when it has been in force `REVIEW_YEARS` years
or more since it took effect or since its last 复审 event, whichever is later; or when it
has received `REVIEW_COMMENTS` comments or more since then (the files under `feedback/`).
Each row carries the comments since then counted by clause, so the review starts from
what readers found wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from stdhub.standards.model import Catalogue, Standard
from stdhub.vocab import Shown

REVIEW_EVENT = "复审"  # the history event that records a review (schemas/common.json)
REVIEW_YEARS = 5
"""Years in force (since it took effect or was last reviewed) after which a standard is due:
《地方标准管理办法》 asks for a review at least every five years."""
REVIEW_COMMENTS = 10
"""Comments received since it took effect or was last reviewed that make a standard due
before its five years are up: ten readers pointing at problems is worth a look."""
OWN_LEVELS = ("地方标准", "本单位规范")
"""The levels the department drafts and so reviews; national, industry and group standards
it adopts are reviewed by their own bodies."""
WHOLE = "全文"  # the clause key of comments about the standard as a whole


@dataclass(frozen=True)
class Due:
    """One standard in force and where it stands for review. Dates are ISO `YYYY-MM-DD`."""

    id: str
    title: str
    effective: str
    last_review: str  # "" when never reviewed
    since: str  # the later of `effective` and `last_review`
    years: float  # years in force since `since`, one decimal
    comments: int  # comments received since `since`
    by_clause: dict[str, int] = field(default_factory=dict)  # clause number (or 全文, de-…) -> n
    reasons: list[str] = field(default_factory=list)  # why it is due; [] when not (yet)
    next_due: str = ""  # the day its years are up

    @property
    def due(self) -> bool:
        return bool(self.reasons)


def last_review(std: Standard) -> dt.date | None:
    """The date of its latest 复审 event, or None."""
    dates = [e.date for e in std.history if e.event == REVIEW_EVENT]
    return max(dates) if dates else None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def assess(cat: Catalogue, std: Standard, today: dt.date) -> Due | None:
    """Where one standard stands for review; None unless it is one of the department's own
    (`OWN_LEVELS`) in force with an effective date."""
    effective = std.dates.effective
    if std.level not in OWN_LEVELS or cat.status(std, today) != Shown.CURRENT:
        return None
    if effective is None:
        return None
    reviewed = last_review(std)
    since = max(effective, reviewed) if reviewed else effective
    f = cat.feedback.for_about(std.id) if cat.feedback else None
    recent = [e for e in (f.entries if f else []) if e.received_on >= since]
    by_clause = Counter(e.clause or e.anchor or WHOLE for e in recent)
    next_due = _add_years(since, REVIEW_YEARS)
    reasons = []
    if today >= next_due:
        what = "上次复审" if reviewed else "实施"
        reasons.append(f"{what}已满 {REVIEW_YEARS} 年")
    if len(recent) >= REVIEW_COMMENTS:
        reasons.append(f"{since} 以来收到意见 {len(recent)} 条")
    return Due(
        id=std.id,
        title=std.title,
        effective=effective.isoformat(),
        last_review=reviewed.isoformat() if reviewed else "",
        since=since.isoformat(),
        years=round((today - since).days / 365.25, 1),
        comments=len(recent),
        by_clause=dict(sorted(by_clause.items(), key=lambda kv: (-kv[1], kv[0]))),
        reasons=reasons,
        next_due=next_due.isoformat(),
    )


def review_list(cat: Catalogue, today: dt.date) -> list[Due]:
    """Every standard of the department's own in force, due ones first (most comments, then longest in force)."""
    rows = [d for s in cat.standards.values() if (d := assess(cat, s, today))]
    return sorted(rows, key=lambda d: (not d.due, -d.comments, d.since, d.id))


CSV_FIELDS = [
    "id",
    "title",
    "effective",
    "last_review",
    "years",
    "comments",
    "by_clause",
    "due",
    "reasons",
    "next_due",
]


def as_csv(rows: list[Due]) -> str:
    """The list as CSV (UTF-8, header row): `by_clause` as `5.4:3;全文:1`, `reasons` joined by `；`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for d in rows:
        writer.writerow(
            {
                **{k: v for k, v in asdict(d).items() if k in CSV_FIELDS},
                "by_clause": ";".join(f"{k}:{n}" for k, n in d.by_clause.items()),
                "due": "是" if d.due else "否",
                "reasons": "；".join(d.reasons),
            }
        )
    return out.getvalue()


def as_json(rows: list[Due], today: dt.date) -> str:
    """The list as JSON: `{"today", "review_years", "review_comments", "standards": [...]}`."""
    return json.dumps(
        {
            "today": today.isoformat(),
            "review_years": REVIEW_YEARS,
            "review_comments": REVIEW_COMMENTS,
            "standards": [{**asdict(d), "due": d.due} for d in rows],
        },
        ensure_ascii=False,
        indent=2,
    )
