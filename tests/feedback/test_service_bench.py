"""A short bounded run of scripts/bench_feedback.py: under concurrent load every request is
answered and every accepted comment is in the store."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_feedback.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_feedback", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_no_comment_lost_under_load() -> None:
    figures = _bench().run(8, 3)
    assert figures["unanswered"] == 0, figures["errors"]
    assert figures["accepted"] > 0
    assert figures["stored"] == figures["accepted"]
    assert figures["statuses"].get("POST 200") == figures["accepted"]


def test_no_comment_lost_under_load_with_the_real_limits() -> None:
    """Each submitter its own address: five accepted each, then 429s — all answered."""
    figures = _bench().run(8, 3, lifted=False)
    assert figures["unanswered"] == 0, figures["errors"]
    assert figures["stored"] == figures["accepted"]
    assert set(figures["statuses"]) <= {"GET 200", "POST 200", "POST 429"}
