"""One swap per build: `build/data/`, `build/site/` and `build/datasette/` are published
together or not at all. The site step fails after the data step has succeeded (a raised
error, a full disk, `kill -9` at several points) and the three folders stay byte-identical,
with no staging left behind; a swap interrupted half-way is finished by the next run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stdhub import atomic
from stdhub.serve import STAMP, ensure_built, fingerprint, is_stale, local_config

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 28)
DATASETS = ("hunan-divisions", "assistance-cases")  # one 无条件开放, one 有条件开放
OLD_TITLE = "湖南省行政区划代码"
NEW_TITLE = "湖南省行政区划代码（新）"


def snapshot(build: Path) -> dict[str, str]:
    """Every file's SHA-256, every symbolic link's target and every folder of the three."""
    found = {}
    for name in atomic.NAMES:
        for folder, dirs, files in os.walk(build / name):
            here = Path(folder)
            found[str(here.relative_to(build))] = "folder"
            for entry in [*dirs, *files]:
                path = here / entry
                key = str(path.relative_to(build))
                if path.is_symlink():
                    found[key] = f"-> {path.readlink()}"
                elif path.is_file():
                    found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def debris(build: Path) -> list[str]:
    """What a build may leave only while it runs."""
    published = {*atomic.NAMES, ".opendata", STAMP.name}
    return sorted(p.name for p in build.iterdir() if p.name not in published)


def _project(root: Path) -> Path:
    shutil.copytree(REPO / "standards", root / "standards")
    shutil.copytree(REPO / "docs", root / "docs")
    for name in DATASETS:
        shutil.copytree(REPO / "datasets" / name, root / "datasets" / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for rel in ("src/stdhub/site/mkdocs_hook.py", "src/stdhub/site/theme"):
        config = config.replace(rel, str(REPO / rel))
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def _command(project: Path) -> list[str]:
    return [sys.executable, "-m", "stdhub", "build", "--project", str(project)]


def _build(project: Path) -> tuple[int, str]:
    """`stdhub build` as a user runs it: exit code and output."""
    env = {**os.environ, "STDHUB_TODAY": TODAY.isoformat()}
    done = subprocess.run(
        _command(project), capture_output=True, text=True, timeout=600, check=False, env=env
    )
    return done.returncode, done.stdout + done.stderr


def _retitle(project: Path, old: str, new: str) -> None:
    """A change that shows in all three folders (manifest, dataset page, Datasette metadata)."""
    path = project / "datasets" / "hunan-divisions" / "datapackage.yaml"
    text = path.read_text(encoding="utf-8")
    assert f"title: {old}\n" in text
    path.write_text(text.replace(f"title: {old}\n", f"title: {new}\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A project built once, then changed so that every later build would publish new bytes."""
    project = _project(tmp_path_factory.mktemp("swap"))
    code, output = _build(project)
    assert code == 0, output
    before = snapshot(project / "build")
    assert OLD_TITLE in (project / "build/data/manifest.json").read_text(encoding="utf-8")
    assert debris(project / "build") == []
    _retitle(project, OLD_TITLE, NEW_TITLE)
    return project, before


def test_a_site_step_error_after_the_data_step_changes_nothing(built) -> None:
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
    assert snapshot(project / "build") == before
    assert debris(project / "build") == []


def test_an_unexpected_error_in_the_last_step_changes_nothing(built, monkeypatch) -> None:
    """Even a bug (not an expected failure) while Datasette's folder is written."""
    from stdhub import build

    project, before = built

    def broken(data, out, *args, **kwargs):
        assert (data / "manifest.json").is_file()  # the data step has succeeded
        assert (data.parent / "site" / "index.html").is_file()  # and so has the site's
        out.mkdir()
        (out / "metadata.json").write_text("{", encoding="utf-8")
        raise RuntimeError("a bug in the last step")

    monkeypatch.setattr(build, "publish_datasette", broken)
    with pytest.raises(RuntimeError, match="a bug in the last step"):
        build.build_all(project, today=TODAY)
    assert snapshot(project / "build") == before
    assert debris(project / "build") == []


@pytest.fixture
def small_disk(built, tmp_path: Path):
    """A copy of the built project on a tmpfs with about 1 MB to spare."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        project = mount / "project"
        subprocess.run(["cp", "-a", str(built[0]), str(project)], check=True)
        stat = os.statvfs(mount)
        used_kb = (stat.f_blocks - stat.f_bfree) * stat.f_frsize // 1024
        subprocess.run(["mount", "-o", f"remount,size={used_kb + 1024}k", str(mount)], check=True)
        yield project
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_changes_nothing_and_leaves_no_staging(built, small_disk: Path) -> None:
    project, before = small_disk, built[1]
    assert snapshot(project / "build") == before
    code, output = _build(project)
    assert code == 1, output
    assert "Traceback" not in output
    assert "No space left on device" in output or "disk is full" in output, output
    assert snapshot(project / "build") == before
    assert debris(project / "build") == []


# Points at which the build is killed: a path that appears once the build has got there.
KILL_POINTS = {
    "data step done": ".staging/data/manifest.json",
    "site step running": ".staging/site.static",
    "Datasette step running": ".staging/datasette",
}


@pytest.mark.parametrize("point", KILL_POINTS)
def test_kill_9_changes_nothing_and_the_next_run_clears_the_staging(built, point: str) -> None:
    project, before = built
    build = project / "build"
    marker = build / KILL_POINTS[point]
    env = {**os.environ, "STDHUB_TODAY": TODAY.isoformat()}
    proc = subprocess.Popen(
        _command(project), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        deadline = time.monotonic() + 600
        while not marker.exists():
            assert proc.poll() is None, f"the build ended before {point}"
            assert time.monotonic() < deadline
            time.sleep(0.002)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert (build / atomic.STAGING).exists() and not (build / atomic.JOURNAL).exists()
    assert snapshot(build) == before
    atomic.recover(build)  # what the next `stdhub build` or `stdhub serve` does first
    assert snapshot(build) == before
    assert debris(build) == []


def _folders(build: Path, label: str) -> None:
    for name in atomic.NAMES:
        (build / name).mkdir(parents=True)
        (build / name / "file.txt").write_text(f"{label} {name}", encoding="utf-8")
        (build / name / "link").symlink_to("file.txt")


@pytest.mark.parametrize("renames_done", range(7))
def test_a_swap_cut_short_is_finished_by_the_next_run(tmp_path: Path, renames_done: int) -> None:
    """Killed after the journal is written and `renames_done` of the six renames are made:
    the next run publishes the new folders, all three."""
    build = tmp_path / "build"
    _folders(build, "old")
    _folders(build / atomic.STAGING, "new")
    expected = snapshot(build / atomic.STAGING)
    assert snapshot(build) != expected
    atomic._write_journal(build, list(atomic.NAMES))
    (build / atomic.RETIRED).mkdir()
    renames = [
        step
        for name in atomic.NAMES
        for step in (
            (build / name, build / atomic.RETIRED / name),
            (build / atomic.STAGING / name, build / name),
        )
    ]
    for source, target in renames[:renames_done]:
        source.rename(target)
    atomic.recover(build)
    assert snapshot(build) == expected
    assert debris(build) == []


def test_a_build_killed_before_the_journal_leaves_the_old_folders(tmp_path: Path) -> None:
    build = tmp_path / "build"
    _folders(build, "old")
    before = snapshot(build)
    _folders(build / atomic.STAGING, "new")
    (build / f"{atomic.JOURNAL}.tmp").write_text('{"swap": ["da', encoding="utf-8")
    atomic.recover(build)
    assert snapshot(build) == before
    assert debris(build) == []


def test_a_new_build_publishes_all_three_keeps_the_download_cache_and_stales_serve(
    built,
) -> None:
    """Runs last: a successful build publishes the change in all three folders at once; the
    exported downloads of an unchanged database are reused; `stdhub serve`'s stamp from
    before that build no longer counts as up to date."""
    project, before = built
    build = project / "build"
    config = local_config(project, "127.0.0.1", 8000)
    assert ensure_built(project, config, TODAY, lambda: None)  # serve's stamp, as if it built
    assert not ensure_built(project, config, TODAY, lambda: pytest.fail("rebuilt"))
    stamp = build / ".opendata" / "hunan-divisions" / "stamp.json"
    exported = stamp.stat().st_mtime_ns
    code, output = _build(project)
    assert code == 0, output
    after = snapshot(build)
    changed = {k for k in after.keys() | before.keys() if after.get(k) != before.get(k)}
    assert {k.split("/")[0] for k in changed} == set(atomic.NAMES)
    assert NEW_TITLE in (build / "data/manifest.json").read_text(encoding="utf-8")
    metadata = json.loads((build / "datasette/metadata.json").read_text(encoding="utf-8"))
    assert metadata["databases"]["hunan-divisions"]["title"] == NEW_TITLE
    page = (build / "site/opendata/hunan-divisions/index.html").read_text(encoding="utf-8")
    assert NEW_TITLE in page
    assert debris(build) == []
    assert stamp.stat().st_mtime_ns == exported  # the database is unchanged: not re-exported
    assert is_stale(project, fingerprint(project, config, TODAY))  # inputs same, build not


def test_serve_finishes_a_swap_before_it_reads_build(tmp_path: Path) -> None:
    """`stdhub serve` after a build killed mid-swap serves the new folders, all three."""
    project = tmp_path / "project"
    build = project / "build"
    _folders(build, "old")
    _folders(build / atomic.STAGING, "new")
    expected = snapshot(build / atomic.STAGING)
    (build / atomic.RETIRED).mkdir()
    atomic._write_journal(build, list(atomic.NAMES))
    (build / "data").rename(build / atomic.RETIRED / "data")  # killed after one rename
    seen: list[dict[str, str]] = []
    config = local_config(project, "127.0.0.1", 8000)
    ensure_built(project, config, TODAY, lambda: seen.append(snapshot(build)))
    assert seen == [expected]  # what the build step (and then the servers) found
    assert debris(build) == []


def test_list_items_link_to_the_published_datasets_by_title(built) -> None:
    """本厅开放数据 on a list item names each dataset by its title and leads to its page."""
    project, _ = built
    site = project / "build" / "site"
    page = (site / "lists/public-service-list/GG-007/index.html").read_text(encoding="utf-8")
    row = page[page.index('<th scope="row">本厅开放数据</th>') :]
    row = row[: row.index("</tr>")]
    manifest = json.loads((project / "build/data/manifest.json").read_text(encoding="utf-8"))
    title = next(d["title"] for d in manifest["datasets"] if d["name"] == "hunan-divisions")
    assert title in (OLD_TITLE, NEW_TITLE)  # as built: later tests here rebuild it retitled
    assert f'<a href="../../../opendata/hunan-divisions/">{title}</a>' in row, row
    assert (site / "opendata/hunan-divisions/index.html").is_file()
    # a dataset this project does not publish (validate warned, W005) is not linked
    other = (site / "lists/public-service-list/GG-005/index.html").read_text(encoding="utf-8")
    assert "opendata/social-organizations/" not in other
    assert '<th scope="row">本厅开放数据</th>' not in other
