"""docs/feedback-service.md cannot drift from the service: every limit with its value, the
command production runs."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from stdhub.feedback.service import Limits, command

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_limit_is_explained_with_its_value() -> None:
    text = (DOCS / "feedback-service.md").read_text(encoding="utf-8")
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `(\w+)` \| `(.+?)` \| .+ \|$", text, re.M)}
    for f in dataclasses.fields(Limits):
        assert f.name in rows, f"{f.name} is not explained in docs/feedback-service.md"
        assert json.loads(rows[f.name]) == json.loads(json.dumps(getattr(Limits(), f.name)))


def test_the_production_command_is_the_one_serve_runs(tmp_path: Path) -> None:
    text = (DOCS / "feedback-service.md").read_text(encoding="utf-8").replace("\\\n    ", "")
    line = command(Path("/srv/stdhub"), "127.0.0.1", 8201, "https://a/", "https://b/")
    shown = " ".join(["python", *line[1:]])
    shown = shown.replace("https://a/", "https://biaozhun.mz.example.gov.cn/")
    assert shown.replace("https://b/", "https://data.mz.example.gov.cn/") in text
