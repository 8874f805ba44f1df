"""What the feedback form is about and says: the five values a link names, a submission,
why one is refused, and the words and times shown to the person filling it in."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from stdhub.config import describe
from stdhub.feedback import targets

FIELDS = ("id", "version", "title", "url", "anchor")  # what a comment is about
FIELD_MAX = {"id": 200, "version": 40, "title": 300, "url": 1000, "anchor": 200}
SITE_WIDE = {"id": targets.SITE_WIDE, "title": targets.GENERAL_TITLES[targets.SITE_WIDE]}


class Refused(Exception):
    """Why a comment is not taken: HTTP status, a Chinese title and message; `form` true
    when the person can correct it (the form comes back with what they wrote)."""

    def __init__(
        self, status: int, title: str, message: str, *, retry_after: int = 0, form: bool = False
    ) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message
        self.retry_after, self.form = retry_after, form


@dataclass
class Submission:
    target: dict[str, str]
    text: str = ""
    name: str = ""
    contact: str = ""
    stamp: str = ""
    token: str = ""
    honeypot: str = ""


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def clean(value: str, *, multiline: bool = False) -> str:
    """Control characters out (line breaks and tabs kept in the comment)."""
    keep = "\n\t" if multiline else ""
    value = value.replace("\r\n", "\n")
    return "".join(c for c in value if c >= " " or c in keep)


def about(target: dict[str, str]) -> str:
    return describe(
        id=target["id"], title=target["title"], version=target["version"], anchor=target["anchor"]
    )


def back(target: dict[str, str]) -> str:
    url = target["url"]
    if not url:
        return ""
    anchor = target["anchor"]
    if not anchor or anchor.startswith("row-") or "#" in url:  # a Datasette row is its page
        return url
    return f"{url}#{anchor}"


def stamp(now: dt.datetime, seconds: int) -> str:
    return (now - dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def retry(oldest: str, window: int, now: dt.datetime) -> int:
    """Seconds until the oldest comment counted leaves the window."""
    then = dt.datetime.strptime(oldest, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    return max(1, math.ceil((then + dt.timedelta(seconds=window) - now).total_seconds()))


def beijing(stamp: str) -> str:
    """A stored UTC time as people here read it: `2026-12-06 14:30（北京时间）`."""
    then = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    return then.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime(
        "%Y-%m-%d %H:%M（北京时间）"
    )


def wait(seconds: int) -> str:
    """A Retry-After in words: `30 秒`, `约 10 分钟`, `约 3 小时`."""
    if seconds < 120:
        return f"{seconds} 秒"
    if seconds < 7200:
        return f"约 {math.ceil(seconds / 60)} 分钟"
    return f"约 {math.ceil(seconds / 3600)} 小时"


def span(seconds: int) -> str:
    """A window in words: `10 分钟`, `1 小时`, `1 天`."""
    if seconds % 86400 == 0:
        return f"{seconds // 86400} 天"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} 小时"
    return f"{max(1, seconds // 60)} 分钟"
