"""How a derived status looks: the badge colour class and the sort order of statuses."""

from __future__ import annotations

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


def badge(status: str) -> str:
    return BADGES.get(status, "draft")
