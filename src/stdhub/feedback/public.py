"""The public part of the comments: what the 意见采纳情况 pages, the `catalogue` database and
the per-consultation downloads publish of each answered comment, in one place.

Published: the comment's id, what it is about, the day it arrived (UTC+8), the place in
words (`第 5.4 条 …`), its text as the feedback files hold it (masked by `stdhub feedback
pull`), the disposition, its reason, the change made and the day it was answered. Never:
the exact time, the form's title or anchor as typed, who sent it, comments still waiting.
"""

from __future__ import annotations

from typing import Any

from stdhub import addresses
from stdhub.feedback.dispositions import Entry, FeedbackFile
from stdhub.standards.model import Catalogue, Standard

COLUMNS = (
    "id",
    "about",
    "received",
    "place",
    "text",
    "disposition",
    "reason",
    "change",
    "answered",
    "url",
)
TITLES = {
    "id": "意见编号",
    "about": "意见对象",
    "received": "收到日期",
    "place": "意见位置",
    "text": "意见内容",
    "disposition": "处理结果",
    "reason": "理由",
    "change": "修改情况",
    "answered": "答复日期",
    "url": "网页",
}


def where(std: Standard | None, e: Entry) -> str:
    """The place a comment is about, in words: `第 5.4 条`, `数据元 DE01`, `全文`."""
    if e.clause:
        title = ""
        if std:
            found = next(
                (c for top in std.clauses for c in top.walk() if c.number == e.clause), None
            )
            title = f" {found.title}" if found else ""
        return f"第 {e.clause} 条{title}"
    if e.anchor.startswith("de-"):
        return f"数据元 {e.anchor.removeprefix('de-')}"
    if std is None and e.anchor.startswith(("row-", "table-")):
        return data_place(e)
    if e.anchor:
        return e.anchor.removeprefix("table-")
    return "全文" if std else "整体"


def data_place(e: Entry) -> str:
    """A table or a row of a dataset in words, from the title its page gave the form
    (`数据集 · 表 · 记录名`, `stdhub.datasette.links`): `社会组织名录 · 湖南省养老服务协会`,
    never the row's key (a credit code)."""
    parts = [p.strip() for p in e.title.split(" · ") if p.strip()]
    table = parts[1] if len(parts) > 1 else ""
    if e.anchor.startswith("table-"):
        return table or e.anchor.removeprefix("table-")
    row = parts[2] if len(parts) > 2 else "一条记录"
    return f"{table} · {row}" if table else row


def published(f: FeedbackFile) -> list[Entry]:
    """The comments of `f` that are published: the answered ones, oldest first."""
    return sorted(f.answered, key=lambda e: (e.received, e.id))


def comment_rows(cat: Catalogue, f: FeedbackFile, site_url: str) -> list[dict[str, Any]]:
    """One row (`COLUMNS`) per published comment of `f`; `url` is its row on its
    意见采纳情况 page."""
    std = cat.standards.get(f.about)
    page = addresses.absolute(site_url, addresses.consultation(f.about))
    return [
        {
            "id": e.id,
            "about": f.about,
            "received": e.received_on.isoformat(),
            "place": where(std, e),
            "text": e.text,
            "disposition": str(e.disposition),
            "reason": e.reason,
            "change": e.change,
            "answered": e.answered.isoformat() if e.answered else "",
            "url": f"{page}#{e.id}",
        }
        for e in published(f)
    ]
