"""The one place that runs the site builder: MkDocs with Material, or Zensical.

Both read the project's `mkdocs.yml` and get the same generated pages (`extra.stdhub.builder`
or `--builder` chooses, `stdhub.config.BUILDERS`). Zensical (its makers' successor to
Material) runs no MkDocs hooks or plugins: what stdhub's hooks do is done before it
(the pages are generated beforehand, as for MkDocs) or after it (`feedback_footer.fill`).
It reads `mkdocs.yml` through a small configuration of our own (`INHERIT`) that gives it the
generated pages, the navigation and stdhub's templates, and it runs as its own command
(`python -m zensical build`), so its output stays out of stdhub's and a failure is a message.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from stdhub.config import from_section, read_mkdocs_yml
from stdhub.errors import SiteBuildFailed
from stdhub.site.feedback_footer import fill


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run(
    config_file: Path,
    overrides: dict[str, Any] | None = None,
    *,
    strict: bool = True,
    templates: Path | None = None,
    name: str = "mkdocs",
) -> None:
    """Build the site described by `config_file` (the project's `mkdocs.yml`) with the
    builder `name`, `overrides` replacing its settings (`site_dir` says where) and the theme
    templates in `templates` replacing the theme's own.
    Raises SiteBuildFailed with the builder's messages (a bad setting, a warning when strict)."""
    if name == "zensical":
        _run_zensical(config_file, overrides or {}, strict=strict, templates=templates)
    else:
        _run_mkdocs(config_file, overrides, strict=strict, templates=templates)


def _run_mkdocs(
    config_file: Path,
    overrides: dict[str, Any] | None,
    *,
    strict: bool,
    templates: Path | None,
) -> None:
    """MkDocs reads `config_file` itself (its own `load_config`)."""
    quiet_jieba()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(collect)
    try:
        cfg = load_config(config_file=str(config_file), strict=strict, **(overrides or {}))
        if templates:
            cfg.theme.dirs.insert(0, str(templates))
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (MkDocsException, SystemExit, OSError) as exc:
        details = "\n".join(collect.messages) or str(exc)
        raise SiteBuildFailed(f"站点生成失败（site build failed）：\n{details}") from None
    finally:
        log.removeHandler(collect)


ZENSICAL_SITE = "zensical-site"  # Zensical's output, inside the folder of its configuration


def _run_zensical(
    config_file: Path, overrides: dict[str, Any], *, strict: bool, templates: Path | None
) -> None:
    """Zensical keeps its pages and output inside the folder of its configuration: ours is
    written beside the generated `docs_dir`, and the output moved to `site_dir` after.
    Its version was checked when the command started (`stdhub.cli._with_builder`)."""
    docs = Path(overrides["docs_dir"]).resolve()
    site = Path(overrides["site_dir"]).resolve()
    root = docs.parent
    own: dict[str, Any] = {
        "INHERIT": str(config_file.resolve()),
        "docs_dir": docs.name,
        "site_dir": ZENSICAL_SITE,
        # the theme as Material draws it; stdhub's templates before the theme's
        "theme": {"variant": "classic", **({"custom_dir": str(templates)} if templates else {})},
        **{k: overrides[k] for k in ("site_url", "nav", "not_in_nav") if k in overrides},
    }
    extra = dict(overrides.get("extra") or read_mkdocs_yml(config_file).get("extra") or {})
    own["extra"] = {**extra, "stdhub_footer": "fill"}  # see partials/copyright.html
    own_file = root / "zensical.mkdocs.yml"
    own_file.write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
    command = [sys.executable, "-m", "zensical", "build", "-f", str(own_file), "--clean"]
    done = subprocess.run(
        [*command, *(["--strict"] if strict else [])],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        details = (done.stdout + done.stderr).strip()[-3000:]
        raise SiteBuildFailed(f"站点生成失败（site build failed, zensical）：\n{details}")
    if site.exists():
        shutil.rmtree(site)
    shutil.move(root / ZENSICAL_SITE, site)
    fill(site, from_section(extra.get("stdhub") or {}))


def quiet_jieba() -> None:
    """jieba announces loading its dictionary on every build; only its warnings matter."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def add_search_entries(site_dir: Path, entries: list[dict[str, Any]]) -> None:
    """Add our entries to Material's search index and write it as UTF-8: Material writes
    every Chinese character as a `\\uXXXX` escape (6 bytes, not 3), more than twice the
    size for a phone to download and parse."""
    index = site_dir / "search" / "search_index.json"
    if not index.exists():  # search is switched off
        return
    data = json.loads(index.read_bytes())
    data["docs"].extend(entries)
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
