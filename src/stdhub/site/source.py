"""A self-contained site source for the builder: `docs/` (hand-written pages copied beside the
generated ones) and a `mkdocs.yml` derived from the project's, with the navigation filled in.

The project's `mkdocs.yml` stays the one place for the theme, plugins and `extra.stdhub`;
the derived file only fixes paths and adds what was generated, so any builder that reads
`mkdocs.yml` (MkDocs today, its successors later) can build the result.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import yaml

from stdhub.errors import StdhubError
from stdhub.site.generate import Pages, write

OVERRIDES = Path(__file__).parent / "overrides"


def project_config(project: Path) -> dict[str, Any]:
    path = project / "mkdocs.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StdhubError(f"找不到 {path}（the site configuration）") from None
    except yaml.YAMLError as exc:
        raise StdhubError(
            f"{path}: 无法读取（{exc}）；mkdocs.yml 中不要使用 !!python/... 标签"
        ) from None
    if not isinstance(data, dict):
        raise StdhubError(f"{path}: 顶层应是映射")
    return data


def derived_config(
    project: Path, pages: Pages, docs_dir: Path, site_dir: Path, site_url: str | None = None
) -> dict[str, Any]:
    """The project's `mkdocs.yml` with paths, navigation and (if given) the site's address
    fixed: `site_url` makes MkDocs' canonical links and sitemap, so it must be the
    address the site is served at (`stdhub serve --port N` builds for port N)."""
    cfg = project_config(project)
    if site_url:
        cfg["site_url"] = site_url
    cfg.pop("hooks", None)  # the hook does what this module does, for `mkdocs serve`
    cfg.pop("watch", None)
    cfg["docs_dir"] = str(docs_dir.resolve())
    cfg["site_dir"] = str(site_dir.resolve())
    cfg["nav"] = pages.nav
    cfg["not_in_nav"] = "\n".join(pages.not_in_nav)
    theme = cfg.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((project / theme["custom_dir"]).resolve())
    elif isinstance(theme, dict):
        theme["custom_dir"] = str(OVERRIDES)  # stdhub's own: the 404 page in Chinese
    return cfg


def _retire(folder: Path) -> None:
    """Empty `folder` at once: rename it away and delete it in the background."""
    if not folder.exists():
        return
    old = folder.with_name(folder.name + ".old")
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    folder.rename(old)
    threading.Thread(target=shutil.rmtree, args=(old, True), daemon=True).start()


def write_source(
    project: Path, pages: Pages, out: Path, site_dir: Path, site_url: str | None = None
) -> Path:
    """Write `out/docs/` and `out/mkdocs.yml`; return the config file to build."""
    docs = out / "docs"
    _retire(docs)
    write(pages.files, docs, clean=False)
    handwritten = project / "docs"
    if handwritten.is_dir():
        shutil.copytree(handwritten, docs, dirs_exist_ok=True)
    config_file = out / "mkdocs.yml"
    cfg = derived_config(project, pages, docs, site_dir, site_url)
    config_file.write_text(
        yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return config_file
