"""Chinese full-text search through a real SQLite FTS5 table built with stdhub.fts."""

from __future__ import annotations

import sqlite3

import pytest

from stdhub import fts

ROWS = [
    "长沙市芙蓉区城乡低保对象月度统计",
    "长沙县黄花镇敬老院",
    "株洲市特困供养服务中心",
    "湘西土家族苗族自治州吉首市社会福利院",
    "Hunan Elderly Care Center 2024",
    "行政区划代码 430121 长沙县",
    "最低生活保障",  # contains 低保? no: 低生 / 生活 / 活保 / 保障
    "长 沙",  # the two characters apart: not 长沙
]


@pytest.fixture(scope="module")
def db() -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)")
    con.executemany("INSERT INTO t(text) VALUES (?)", [(r,) for r in ROWS])
    con.execute(
        f"CREATE VIRTUAL TABLE t_fts USING fts5(text, content='', tokenize='{fts.TOKENIZE}')"
    )
    con.create_function("fts_index", 1, fts.index_text, deterministic=True)
    con.execute("INSERT INTO t_fts(rowid, text) SELECT id, fts_index(text) FROM t")
    return con


def search(con: sqlite3.Connection, query: str) -> list[str]:
    expr = fts.match_expression(query)
    sql = "SELECT text FROM t WHERE id IN (SELECT rowid FROM t_fts WHERE t_fts MATCH ?) ORDER BY id"
    return [r[0] for r in con.execute(sql, (expr,))]


def test_two_characters_find_substrings(db: sqlite3.Connection) -> None:
    assert search(db, "低保") == [ROWS[0]]
    assert search(db, "长沙") == [ROWS[0], ROWS[1], ROWS[5]]


def test_longer_names_must_be_contiguous(db: sqlite3.Connection) -> None:
    assert search(db, "长沙县") == [ROWS[1], ROWS[5]]
    assert search(db, "土家族苗族自治州") == [ROWS[3]]
    assert search(db, "沙县黄花") == [ROWS[1]]  # jieba's words would not cross 长沙县|黄花镇
    assert search(db, "低保障") == []


def test_one_character(db: sqlite3.Connection) -> None:
    assert search(db, "县") == [ROWS[1], ROWS[5]]


def test_latin_and_digits(db: sqlite3.Connection) -> None:
    assert search(db, "elderly") == [ROWS[4]]
    assert search(db, "CARE center") == [ROWS[4]]
    assert search(db, "4301") == [ROWS[5]]  # a prefix of a division code
    assert search(db, "２０２４") == [ROWS[4]]  # full-width digits are folded


def test_mixed_query_needs_every_part(db: sqlite3.Connection) -> None:
    assert search(db, "长沙 430121") == [ROWS[5]]
    assert search(db, "长沙 株洲") == []


def test_nothing_to_search() -> None:
    assert fts.match_expression("") is None
    assert fts.match_expression(' "*()- ') is None


def test_query_syntax_cannot_be_injected(db: sqlite3.Connection) -> None:
    # FTS5 operators in what a user types are only separators, never syntax errors
    assert search(db, '长沙 "低保") (*') == [ROWS[0]]
    assert search(db, "长沙 OR 株洲") == []  # OR is a word to find here, not an operator


def test_tokens() -> None:
    assert fts.tokens("长沙县") == ["长沙", "沙县", "长", "沙", "县"]
    assert fts.index_text("A1 长沙") == "a1 长沙 长 沙"
    assert fts.index_text(None) == ""


def test_bigrams_find_every_substring_jieba_does_not() -> None:
    """The measurement behind the choice: every two-character substring of every Hunan
    division name must be findable. Bigrams find all; jieba's search-mode words miss many."""
    import csv
    from pathlib import Path

    import jieba

    jieba.setLogLevel(60)
    path = Path(__file__).resolve().parents[2] / "datasets/hunan-divisions/data/divisions.csv"
    with path.open(encoding="utf-8") as f:
        names = [r["division_name"] for r in csv.DictReader(f)]
    wanted = [(name, name[i : i + 2]) for name in names for i in range(len(name) - 1)]
    by_bigrams = sum(q in fts.tokens(name) for name, q in wanted)
    by_jieba = sum(q in set(jieba.cut_for_search(name)) for name, q in wanted)
    assert by_bigrams == len(wanted) > 300
    assert by_jieba < 0.8 * len(wanted)  # e.g. 沙县 in 长沙县, 家族 in 土家族
