"""The comment store: one SQLite database in WAL mode, private to the department.

It lives outside `build/` (default `var/feedback/feedback.sqlite3` under the project, see
`DEFAULT_PATH`), is never served by the public Datasette and never copied into a build: it
holds what people typed, their optional name and contact, and a keyed hash of their address.
Only `stdhub feedback pull` reads comments out of it, and it writes only the public part
(`Comment`) — never `name`, `contact` or `client`.

What a comment is about comes from the same five values every 意见反馈 link carries
(`Config.feedback_link`): `about` (the `{id}`: a standard's id such as `HNMZ/T 0101-2026`, a
dataset's name, a list item's or code's id), `version`, `title`, `page` (the `{url}` the
comment was sent from) and `anchor` (a clause `clause-5-4`, a data element `de-…`, a Datasette
table or row).

Shapes: times are UTC ISO 8601 strings to the second (`2026-12-06T06:30:00Z`); ids are opaque
(`c-` and 16 hex digits, random, so they reveal neither order nor count).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path("var") / "feedback" / "feedback.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS comments (
    id TEXT PRIMARY KEY,
    received TEXT NOT NULL,
    about TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    page TEXT NOT NULL DEFAULT '',
    anchor TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    client TEXT NOT NULL DEFAULT '',
    digest TEXT NOT NULL,
    pulled TEXT
);
CREATE INDEX IF NOT EXISTS comments_waiting ON comments (pulled, received);
CREATE INDEX IF NOT EXISTS comments_digest ON comments (digest);
CREATE INDEX IF NOT EXISTS comments_client ON comments (client, received);
CREATE INDEX IF NOT EXISTS comments_target ON comments (about, anchor, received);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    used TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Comment:
    """The public part of one comment: what `stdhub feedback pull` may write out."""

    id: str
    received: str
    about: str
    version: str
    title: str
    page: str
    anchor: str
    text: str


def now() -> str:
    """The current UTC time as stored: `2026-12-06T06:30:00Z`."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def digest(about: str, anchor: str, text: str) -> str:
    """A hash of what a comment says about what, for duplicate detection: NFKC-folded,
    whitespace collapsed, case folded; 64 hex digits."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256("\0".join((about, anchor, folded)).encode()).hexdigest()


def private_folder(folder: Path) -> Path:
    """`folder` (made if missing) readable by its owner only (0700): the store, its WAL and
    the service's key live there."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating folder, file and tables if needed) the store at `path`, in WAL mode
    with a 5 s busy timeout, autocommit. The folder is 0700, the store and its `-wal` and
    `-shm` files 0600 (SQLite gives the last two the store's mode). Raises sqlite3.Error if
    the file is not a database, OSError if it cannot be made."""
    private_folder(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    conn = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError):
            name.chmod(0o600)
    return conn


def new_id() -> str:
    """A fresh opaque id: `c-` and 16 random hex digits, never with eleven decimal digits in a
    row (a random run can spell a mobile number, which the personal-data screen rightly
    refuses wherever the id is published)."""
    while True:
        ident = f"c-{secrets.token_hex(8)}"
        if not re.search(r"[0-9]{11}", ident):
            return ident


def add(
    conn: sqlite3.Connection,
    *,
    about: str,
    text: str,
    version: str = "",
    title: str = "",
    page: str = "",
    anchor: str = "",
    name: str = "",
    contact: str = "",
    client: str = "",
    received: str | None = None,
) -> Comment:
    """Store one comment (already checked by the service) and return its public part."""
    comment = Comment(
        id=new_id(),
        received=received or now(),
        about=about,
        version=version,
        title=title,
        page=page,
        anchor=anchor,
        text=text,
    )
    conn.execute(
        "INSERT INTO comments (id, received, about, version, title, page, anchor, text,"
        " name, contact, client, digest) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            comment.id,
            comment.received,
            about,
            version,
            title,
            page,
            anchor,
            text,
            name,
            contact,
            client,
            digest(about, anchor, text),
        ),
    )
    return comment


_PUBLIC = "id, received, about, version, title, page, anchor, text"


def waiting(conn: sqlite3.Connection) -> list[Comment]:
    """Comments not yet pulled, oldest first."""
    rows = conn.execute(
        f"SELECT {_PUBLIC} FROM comments WHERE pulled IS NULL ORDER BY received, id"
    )
    return [Comment(*row) for row in rows]


def mark_pulled(conn: sqlite3.Connection, ids: Iterable[str], when: str | None = None) -> None:
    """Record that `stdhub feedback pull` wrote these comments out (at `when`, default now)."""
    stamp = when or now()
    with conn:
        conn.executemany("UPDATE comments SET pulled = ? WHERE id = ?", [(stamp, i) for i in ids])


# The service's abuse limits (`stdhub.feedback.service`) read these.


DATASET_NAME = re.compile(
    r"[a-z0-9][a-z0-9._-]*"
)  # a Data Package name (standards' ids are upper case)


def subject(about: str) -> str:
    """What fills one file: a comment on `dataset/table/row` fills the dataset's file, one on
    any anchor of a standard (`HNMZ/T 0101-2026`) the standard's; limits per target count
    by this."""
    head = about.split("/", 1)[0]
    return head if head != about and DATASET_NAME.fullmatch(head) else about


def received_since(
    conn: sqlite3.Connection,
    since: str,
    *,
    client: str | None = None,
    target: str | None = None,
) -> list[str]:
    """When comments were received at or after `since` (a stored time), oldest first: from
    one `client` (its keyed hash) or about one `target` (a `subject`, every anchor and
    every part below it counted), or all."""
    sql, args = "SELECT received FROM comments WHERE received >= ?", [since]
    if client is not None:
        sql, args = sql + " AND client = ?", [*args, client]
    if target is not None:
        sql += " AND (about = ? OR substr(about, 1, length(?)) = ?)"
        args = [*args, target, target + "/", target + "/"]
    return [row[0] for row in conn.execute(sql + " ORDER BY received", args)]


def use_token(conn: sqlite3.Connection, token: str, since: str) -> bool:
    """Record that a form's token was used; False if it was already (a form is good for one
    submission). Tokens older than `since` are forgotten: their forms have expired anyway."""
    conn.execute("DELETE FROM tokens WHERE used < ?", (since,))
    try:
        conn.execute("INSERT INTO tokens (token, used) VALUES (?, ?)", (token, now()))
    except sqlite3.IntegrityError:
        return False
    return True


def token_used(conn: sqlite3.Connection, token: str) -> bool:
    """Whether a form's token was used for a stored comment."""
    return conn.execute("SELECT 1 FROM tokens WHERE token = ?", (token,)).fetchone() is not None


def seen(conn: sqlite3.Connection, digest: str, *, client: str, since: str) -> bool:
    """Whether a comment with this `digest` (see `digest`) is stored from `client` at any
    time, or from anyone at or after `since`."""
    row = conn.execute(
        "SELECT 1 FROM comments WHERE digest = ? AND (client = ? OR received >= ?) LIMIT 1",
        (digest, client, since),
    ).fetchone()
    return row is not None


def count(conn: sqlite3.Connection) -> int:
    """How many comments the store holds."""
    return int(conn.execute("SELECT count(*) FROM comments").fetchone()[0])
