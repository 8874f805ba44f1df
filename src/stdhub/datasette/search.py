"""The query side of Chinese full-text search, for Datasette's `escape_fts(:search)`."""

from __future__ import annotations

from stdhub import fts

NOTHING = '""'  # an empty phrase: valid FTS5 that matches no row


def match_expression(query: str | None) -> str:
    """What the user typed, split exactly as the index was (`stdhub.fts`)."""
    return fts.match_expression(query or "") or NOTHING
