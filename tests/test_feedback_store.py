"""The comment store: WAL, public part only, waiting oldest first, duplicates by digest."""

from __future__ import annotations

from pathlib import Path

from stdhub.feedback import store


def test_store_keeps_private_fields_out_of_the_public_part(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "var" / "fb.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    first = store.add(
        conn,
        about="HNMZ/T 0101-2026",
        anchor="clause-5-4",
        text="第一条意见",
        name="某人",
        contact="someone@example.org",
        client="k1",
        received="2026-12-01T00:00:00Z",
    )
    second = store.add(
        conn, about="dibao-village-monthly", text="第二条", received="2026-12-02T00:00:00Z"
    )
    assert [c.id for c in store.waiting(conn)] == [first.id, second.id]
    assert "someone@example.org" not in repr(store.waiting(conn))
    assert first.id.startswith("c-") and first.id != second.id
    store.mark_pulled(conn, [first.id])
    assert [c.id for c in store.waiting(conn)] == [second.id]


def test_digest_folds_width_case_and_spacing() -> None:
    assert store.digest("a", "", "ＡＢＣ  意见") == store.digest("a", "", "abc 意见")
    assert store.digest("a", "", "意见") != store.digest("b", "", "意见")


def test_ids_never_spell_a_phone_number() -> None:
    """Ids are published (anchors of the 意见采纳情况 table): no run of eleven digits."""
    import re

    ids = [store.new_id() for _ in range(20000)]
    assert all(re.fullmatch(r"c-[0-9a-f]{16}", i) for i in ids)
    assert not [i for i in ids if re.search(r"[0-9]{11}", i)]
