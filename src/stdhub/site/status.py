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

BADGES = {
    "现行": "current",
    "即将实施": "upcoming",
    "已批准": "upcoming",
    "征求意见中": "consulting",
    "即将征求意见": "draft",
    "征求意见已截止": "closed",
    "草案": "draft",
    "被代替": "old",
    "废止": "withdrawn",
}
ORDER = list(BADGES)
# statuses the script can derive from dates (the others are the recorded status as it is)
LIVE = ("征求意见中", "征求意见已截止", "即将征求意见", "即将实施", "现行")


def badge(status: str) -> str:
    return BADGES.get(status, "draft")


def live_attrs(std: Standard) -> Markup:
    """HTML attributes (`data-recorded`, `data-start`, `data-end`, `data-effective`) holding
    what the script needs to derive `std`'s status on the reader's day; the empty string
    for a status no date can change (草案, 被代替, 废止)."""
    if std.status not in ("征求意见", "已批准", "现行"):
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
    """The day `std` ceased to apply: its withdrawal date; for a superseded standard the
    date of the 被代替 event in its history, else its successor's effective date; None
    when it still applies or the day is unknown."""
    if std.status == "废止":
        return std.dates.withdrawn
    if std.status != "被代替":
        return None
    for event in std.history:
        if event.event == "被代替":
            return event.date
    return successor.dates.effective if successor else None
