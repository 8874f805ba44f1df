"""How a derived status looks: the badge colour class and the sort order of statuses."""

from __future__ import annotations

from stdhub.vocab import Shown

BADGES = {
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


def badge(status: str) -> str:
    return BADGES.get(status, "draft")
