"""pyarrow's first look never drops a cell the recogniser would catch; the folding is exact."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pyarrow as pa
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stdhub.personal import find_all
from stdhub.personal.normalize import DIGIT_LIKE, FORMAT_CHARS, fold, may_hold_digits
from stdhub.personal.screen import candidates, screen_values

CORPUS = yaml.safe_load((Path(__file__).parent / "corpus.yaml").read_text(encoding="utf-8"))
POSITIVES = [i["text"] for i in CORPUS["positive"]]


def test_format_chars_are_exactly_unicode_category_cf() -> None:
    pattern = re.compile(f"[{FORMAT_CHARS}]")
    wrong = [
        hex(cp)
        for cp in range(sys.maxunicode + 1)
        if bool(pattern.match(chr(cp))) != (unicodedata.category(chr(cp)) == "Cf")
    ]
    assert not wrong


def test_digit_like_is_every_character_nfkc_makes_a_digit_of() -> None:
    pattern = re.compile(f"[{DIGIT_LIKE}]")
    wrong = []
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        digits = sum(d.isascii() and d.isdigit() for d in unicodedata.normalize("NFKC", c))
        if bool(pattern.match(c)) != (digits > 0 and not c.isdecimal()) or digits > 3:
            wrong.append(hex(cp))
    assert not wrong
    assert may_hold_digits("⒇⒇⒇⒇") and len([c for c in fold("⒇⒇⒇⒇") if c.isdigit()]) == 8
    assert not may_hold_digits("第⑴条至第⑶条")


def test_every_positive_is_a_candidate_alone_and_in_a_sentence() -> None:
    cells = POSITIVES + [f"经核实，{t}，已登记（电话0731-84411234）" for t in POSITIVES]
    assert set(candidates(pa.array(cells)).to_pylist()) == set(cells)
    assert set(screen_values(pa.array(cells))) == set(cells)


def test_look_alikes_mostly_stay_in_arrow() -> None:
    """Landlines, codes and dates are not handed to Python at all."""
    plain = ["0731-85270514-8476", "430121100201", "2025-01-31", "长沙市芙蓉区白沙镇68号", "12345"]
    assert candidates(pa.array(plain)).to_pylist() == []


_PIECES = st.sampled_from(
    [*"0123456789０１X", " ", "-", ".", "\u200b", "\u3000", "－", "+86", "e+17", "第", "号",
     "甲", "138", "1234", "5678", "430102", "19900307", "7417", "6228", "4800"]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PIECES, min_size=3, max_size=16).map("".join))
def test_no_cell_the_recogniser_catches_is_left_out(text: str) -> None:
    if find_all(text):
        assert candidates(pa.array([text])).to_pylist() == [text]


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
    | st.from_regex(r"[0-9+ .eEX\-]{0,40}")
)
def test_any_text_is_read_without_error(text: str) -> None:
    for hit in find_all(text):
        assert hit.kind in ("P001", "P002", "P003") and len(hit.masked) == len(hit.number)
