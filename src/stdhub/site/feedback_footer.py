"""Every page's footer links to 意见反馈 about that page.

The link comes from the same `Config.feedback_link` as every other one (the configuration
in effect is in `extra.stdhub`: `stdhub build` writes it there, see `source.overrides`), so
it opens the feedback service's form where one is configured, else the `mailto:` fallback.
The theme's `partials/copyright.html` (in `overrides/`) calls `stdhub_feedback(page)`,
which `on_env` (a MkDocs hook) provides. Zensical runs no hooks: there the template leaves
the page's title and address in the link, and `fill` makes the link after the build.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from stdhub.config import Config, from_section
from stdhub.feedback.targets import SITE_WIDE

_LEFT = re.compile(
    r'<a class="stdhub-feedback-footer" href="#stdhub-feedback" '
    r'data-title="([^"]*)" data-url="([^"]*)">'
)


def _link(settings: Config, title: str, url: str) -> str:
    return settings.feedback_link(id=SITE_WIDE, title=title, url=url or settings.site_url)


def on_env(env: Any, config: Any, files: Any) -> Any:
    settings = from_section(config.extra.get("stdhub") or {})

    def link(page: Any = None) -> str:
        url = getattr(page, "canonical_url", None) or ""
        title = getattr(page, "title", None) or config.site_name
        return _link(settings, str(title), url)

    env.globals["stdhub_feedback"] = link
    return env


def fill(site_dir: Path, settings: Config) -> int:
    """Make the footer links the template left in the built pages; how many pages had one."""

    def made(m: re.Match[str]) -> str:
        link = _link(settings, html.unescape(m.group(1)), html.unescape(m.group(2)))
        return f'<a class="stdhub-feedback-footer" href="{html.escape(link)}">'

    count = 0
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        done, n = _LEFT.subn(made, text)
        if n:
            page.write_text(done, encoding="utf-8")
            count += 1
    return count
