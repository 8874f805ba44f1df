"""How a derived status looks and how it stays true on the reader's device.

`BADGES` maps a status to its badge colour class; `ORDER` is the sort order of statuses.
A page shows the status derived at build time (`Standard.display_status`) and carries the
dates it was derived from (`live_attrs`); `assets/stdhub.js` derives it again from those
dates on the reader's day (China Standard Time), so a consultation closes at its deadline
and an approved standard turns 现行 on its effective date without a rebuild.
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
# statuses the script can derive from dates (the others are the recorded status as it is)
LIVE = (
    Shown.CONSULTING,
    Shown.CONSULTATION_CLOSED,
    Shown.CONSULTATION_SOON,
    Shown.UPCOMING,
    Shown.CURRENT,
)


def badge(status: str) -> str:
    return BADGES.get(status, "draft")


def live_attrs(std: Standard) -> Markup:
    """HTML attributes (`data-recorded`, `data-start`, `data-end`, `data-effective`) holding
    what the script needs to derive `std`'s status on the reader's day; the empty string
    for a status no date can change (草案, 被代替, 废止)."""
    if std.status not in (Status.CONSULTATION, Status.APPROVED, Status.CURRENT):
        return Markup("")
    d = std.dates
    values = {
        "recorded": std.status,
        "start": d.consultation_start,
        "end": d.consultation_end,
        "effective": d.effective,
    }
    return Markup(" ").join(
        Markup('data-{}="{}"').format(k, escape(v.isoformat() if isinstance(v, dt.date) else v))
        for k, v in values.items()
        if v
    )


def ceased_on(std: Standard, successor: Standard | None) -> dt.date | None:
    """The day `std` ceased to apply (see `Standard.ceased_on`)."""
    return std.ceased_on(successor)
