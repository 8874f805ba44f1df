"""The hand-written pages on Datasette cannot drift from the generated settings."""

from __future__ import annotations

import json
import re
from pathlib import Path

from stdhub.datasette.settings import SETTINGS
from stdhub.processes import datasette_command

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_setting_value_is_explained():
    text = (DOCS / "datasette-settings.md").read_text(encoding="utf-8")
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `(\w+)` \| (.+?) \| .+ \|$", text, re.M)}
    for name, setting in SETTINGS.items():
        assert name in rows, f"{name} is not explained in docs/datasette-settings.md"
        assert rows[name] == f"`{json.dumps(setting.value)}`", name
    assert "force_https_urls" in rows


def test_deploy_page_shows_the_command_serve_runs(tmp_path):
    text = (DOCS / "deploy.md").read_text(encoding="utf-8")
    command = datasette_command(tmp_path, "127.0.0.1", 8001)
    shown = " ".join(["python", *command[1:]]).replace(str(tmp_path), "/srv/stdhub/datasette")
    assert shown in text
