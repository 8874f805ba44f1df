"""The recogniser against its corpus: every positive spelling caught, no look-alike flagged."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from stdhub.personal import KIND_NAMES, find_all

ROOT = Path(__file__).resolve().parents[2]
CORPUS = yaml.safe_load((Path(__file__).parent / "corpus.yaml").read_text(encoding="utf-8"))


def test_the_corpus_is_big_enough_and_covers_every_kind() -> None:
    assert len(CORPUS["positive"]) >= 60 and len(CORPUS["negative"]) >= 60
    assert {p["kind"] for p in CORPUS["positive"]} == set(KIND_NAMES)


@pytest.mark.parametrize("item", CORPUS["positive"], ids=lambda i: f"{i['kind']}-{i['spelling']}")
def test_positive_spelling_is_caught(item: dict) -> None:
    hits = find_all(item["text"])
    assert item["kind"] in {h.kind for h in hits}
    for h in hits:  # what a message shows is masked
        assert h.masked != h.number and h.masked[3:-4].strip("*") == ""


@pytest.mark.parametrize("item", CORPUS["negative"], ids=lambda i: f"{i['kind']}-{i['text']}")
def test_look_alike_is_not_flagged(item: dict) -> None:
    assert find_all(item["text"]) == []


def test_script_prints_the_table_and_passes() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts/personal_corpus.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "recall 100.0%" in done.stdout and "flagged 0" in done.stdout
    assert "P001 公民身份号码" in done.stdout and "look-alike" in done.stdout
    # real data without personal data: every source listed, nothing flagged in any
    real = done.stdout.split("real data without personal data", 1)[1]
    rows = [line for line in real.splitlines()[1:] if line.strip() and "/" in line]
    sources = {line.rsplit(" ", 1)[0].strip(): line.rsplit(" ", 1)[1] for line in rows[:12]}
    assert len(sources) == 12 and all(v.startswith("0/") for v in sources.values()), real
    assert "jieba IDF 表（词 9.15574552361）" in sources and "经纬度（9–14 位小数）" in sources
    total = int(re.search(r"real data: (\d+) texts, flagged 0", done.stdout)[1])
    assert total > 400_000
