"""Publishing: `stdhub build` all or nothing, and `mkdocs build` / `mkdocs serve` straight from a
project folder (the hook), with a YAML edit showing on the served page."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from netutil import free_port
from site_helpers import REPO, make_project


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build(project: Path) -> tuple[int, str]:
    """`stdhub build` as a user runs it (a process of its own): exit code and output."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "stdhub",
            "build",
            "--project",
            str(project),
            "--today",
            "2026-11-28",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    project = make_project(tmp_path_factory.mktemp("publish"))
    code, output = _build(project)
    assert code == 0, output
    assert "网站已生成" in output
    return project, _tree(project / "build" / "site")


def test_failed_validation_leaves_the_site_as_it_was(built, tmp_path: Path) -> None:
    project, before = built
    broken = project / "standards" / "service" / "HNMZ-T-9002-2024.yaml"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("status: 现行", "status: 生效"), encoding="utf-8")
    try:
        code, output = _build(project)
    finally:
        broken.write_text(good, encoding="utf-8")
    assert code == 1
    assert "standards/service/HNMZ-T-9002-2024.yaml:6:9: S004 $.status" in output
    assert "Traceback" not in output
    assert _tree(project / "build" / "site") == before


def test_failed_site_step_leaves_the_site_as_it_was(built) -> None:
    """A hand-written page with a broken link fails the strict build; nothing is published."""
    project, before = built
    bad = project / "docs" / "broken-link.md"
    bad.write_text("# 坏链接\n\n[不存在](no-such-page.md)\n", encoding="utf-8")
    try:
        code, output = _build(project)
    finally:
        bad.unlink()
    assert code == 1
    assert "站点生成失败" in output and "no-such-page.md" in output
    assert "Traceback" not in output
    assert _tree(project / "build" / "site") == before
    assert not list((project / "build").glob(".site.*"))  # no staging left behind


def test_a_page_in_docs_may_not_shadow_a_generated_one(built) -> None:
    project, before = built
    shadow = project / "docs" / "catalogue" / "index.md"
    shadow.parent.mkdir()
    shadow.write_text("# 目录\n", encoding="utf-8")
    try:
        code, output = _build(project)
    finally:
        shutil.rmtree(shadow.parent)
    assert code == 1 and "docs/catalogue/index.md 与生成的页面同名" in output
    assert _tree(project / "build" / "site") == before


MATERIAL_EMOJI = """markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
"""


def test_build_takes_materials_documented_emoji_configuration(tmp_path: Path) -> None:
    """mkdocs.yml is read by MkDocs itself, `!!python/name:` tags and all, never re-written."""
    from stdhub.config import load_config

    project = make_project(tmp_path / "emoji")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "markdown_extensions:\n" in text
    config.write_text(text.replace("markdown_extensions:\n", MATERIAL_EMOJI), encoding="utf-8")
    (project / "docs" / "emoji.md").write_text("# 表情\n\n办结 :white_check_mark:\n", "utf-8")
    code, output = _build(project)
    assert code == 0, output
    page = (project / "build" / "site" / "emoji" / "index.html").read_text(encoding="utf-8")
    assert 'class="twemoji"' in page and "<svg" in page
    assert load_config(project).data_url == "http://127.0.0.1:8001/"
    assert config.read_text(encoding="utf-8").count("!!python/name:") == 2


def _mkdocs(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "STDHUB_TODAY": "2026-11-28", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_mkdocs_build_strict_from_the_repository(tmp_path: Path) -> None:
    """`mkdocs build --strict` on the shipped content, run from the repository root."""
    docs_before = _tree(REPO / "docs")
    proc = _mkdocs("build", "--strict", "--site-dir", str(tmp_path / "site"), cwd=REPO)
    out = proc.communicate(timeout=300)[0].decode()
    assert proc.returncode == 0, out
    assert (tmp_path / "site" / "catalogue" / "index.html").is_file()
    assert (tmp_path / "site" / "downloads" / "GB-T-2261.1" / "latest" / "standard.json").is_file()
    assert _tree(REPO / "docs") == docs_before  # nothing generated into docs/


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode("utf-8")


def _wait_for(url: str, text: str, proc: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        try:
            if text in _get(url):
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_mkdocs_serve_shows_a_yaml_edit(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    port = free_port()
    proc = _mkdocs("serve", "--dev-addr", f"127.0.0.1:{port}", cwd=project)
    url = f"http://127.0.0.1:{port}/standards/HNMZ-T-9002-2024/"
    try:
        assert _wait_for(url, "测试临时救助办事指南", proc, 90)
        source = project / "standards" / "service" / "HNMZ-T-9002-2024.yaml"
        text = source.read_text(encoding="utf-8")
        source.write_text(
            text.replace("title: 测试临时救助办事指南", "title: 改过的临时救助办事指南"),
            encoding="utf-8",
        )
        assert _wait_for(url, "改过的临时救助办事指南", proc, 60)
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
    assert not (project / "docs" / "standards").exists()
