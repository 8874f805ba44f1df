"""The one place that runs the site builder (MkDocs with Material today).

Swapping the builder (e.g. for Zensical, which reads the same `mkdocs.yml`) means
changing this module only: the pages and the configuration are generated beforehand.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from stdhub.errors import StdhubError


class SiteBuildFailed(StdhubError):
    """The builder stopped (or, being strict, warned); nothing was published."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run(config_file: Path, overrides: dict[str, Any] | None = None, *, strict: bool = True) -> None:
    """Build the site described by `config_file` (the project's `mkdocs.yml`, read by MkDocs'
    own `load_config`) with `overrides` replacing its settings (`site_dir` says where).
    Raises SiteBuildFailed with MkDocs' messages (a bad setting, a warning when strict)."""
    quiet_jieba()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(collect)
    try:
        cfg = load_config(config_file=str(config_file), strict=strict, **(overrides or {}))
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
