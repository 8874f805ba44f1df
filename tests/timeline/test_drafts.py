"""A standard from `stdhub new` leaving 草案 with a placeholder: an error naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from stdhub.cli import cli
from stdhub.standards.scaffold import PLACEHOLDERS
from stdhub.vocab import Kind


def _validate(root: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(
        cli, ["validate", "--root", str(root), "--format", "json", "--today", "2026-12-06"]
    )
    data = json.loads(result.output)
    return result.exit_code, [*data["errors"], *data["warnings"]]


@pytest.mark.parametrize("kind", [k.english for k in Kind])
def test_placeholders_are_errors_once_the_draft_goes_to_consultation(
    tmp_path: Path, kind: str
) -> None:
    root = tmp_path / "standards"
    root.mkdir()
    made = CliRunner().invoke(cli, ["new", kind, "--root", str(root), "--today", "2026-12-06"])
    assert made.exit_code == 0, made.output
    path = next(root.rglob("*.yaml"))
    code, problems = _validate(root)
    assert code == 0 and not [p for p in problems if p["code"] == "X033"]  # a draft may
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["status"] = "征求意见"
    data["dates"] = {"consultation_start": "2026-12-06", "consultation_end": "2027-01-05"}
    data["history"].append({"date": "2026-12-06", "event": "征求意见开始"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, problems = _validate(root)
    x033 = [p for p in problems if p["code"] == "X033"]
    assert code == 1
    # one error per placeholder left, at its field, naming the value
    left = [v for v in _strings(data) if v in PLACEHOLDERS]
    assert len(x033) == len(left) > 0
    assert all(any(v in p["message"] for v in left) and p["path"].startswith("$.") for p in x033)
    assert all(p["line"] > 1 for p in x033)
    # filled in, it validates
    text = path.read_text(encoding="utf-8")
    for i, value in enumerate(sorted(PLACEHOLDERS, key=len, reverse=True)):
        text = text.replace(value, f"实际内容{i}" if value.startswith("（") else f"value_{i}")
    path.write_text(text, encoding="utf-8")
    code, problems = _validate(root)
    assert not [p for p in problems if p["code"] == "X033"], problems


def _strings(data):
    if isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)
    elif isinstance(data, str):
        yield data
