"""How a derived status looks and how it stays true on the reader's device.

`BADGES` maps a status to its badge colour class; `ORDER` is the sort order of statuses.
A page shows the status derived at build time (`Standard.display_status`) and carries the
dates it was derived from (`live_attrs`); `assets/stdhub.js` derives it again from those
dates on the reader's day (China Standard Time), so a consultation closes at its deadline,
an approved standard turns 现行 on its effective date, and an old edition turns 被代替 (or
废止) on the day its successor takes effect (or its withdrawal), without a rebuild.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from stdhub.standards.model import Standard
from stdhub.vocab import Shown, Status

BADGES: dict[str, str] = {  # Shown is a StrEnum: its members are the keys
    Shown.CURRENT: "current",
    Shown.UPCOMING: "upcoming",
    Shown.APPROVED: "upcoming",
    Shown.CONSULTING: "consulting",
    Shown.CONSULTATION_SOON: "draft",
    Shown.CONSULTATION_CLOSED: "closed",
    Shown.DRAFT: "draft",
    Shown.SUPERSEDED: "old",
    Shown.WITHDRAWN: "withdrawn",
}
ORDER = list(BADGES)
# statuses the script can derive from dates (草案 is the recorded status as it is)
LIVE = (
    Shown.CONSULTING,
    Shown.CONSULTATION_CLOSED,
    Shown.CONSULTATION_SOON,
    Shown.UPCOMING,
    Shown.CURRENT,
    Shown.APPROVED,
    Shown.SUPERSEDED,
    Shown.WITHDRAWN,
)


def badge(status: str) -> str:
    return BADGES.get(status, "draft")


def live_attrs(std: Standard, successor: Standard | None = None) -> Markup:
    """HTML attributes (`data-recorded`, `data-start`, `data-end`, `data-effective`, and
    `data-ends` / `data-ends-as` for a withdrawal or supersession on a known day) holding
    what the script needs to derive `std`'s status on the reader's day, as
    `Standard.display_status` does; the empty string for a status no date can change (草案,
    or an end on an unknown day)."""
    end = std.ending(successor)
    if std.status == Status.DRAFT or (end and end.on is None):
        return Markup("")
    d = std.dates
    values = {
        "recorded": std.status,
        "start": d.consultation_start,
        "end": d.consultation_end,
        "effective": d.effective,
        "ends": end.on if end else None,
        "ends-as": end.shown if end else None,
    }
    return Markup(" ").join(
        Markup('data-{}="{}"').format(k, escape(v.isoformat() if isinstance(v, dt.date) else v))
        for k, v in values.items()
        if v
    )
