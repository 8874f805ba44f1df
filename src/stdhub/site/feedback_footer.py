"""MkDocs hook: every page's footer links to 意见反馈 about that page.

The link comes from the same `Config.feedback_link` as every other one (the configuration
in effect is in `extra.stdhub`: `stdhub build` writes it there, see `source.overrides`), so
it opens the feedback service's form where one is configured, else the `mailto:` fallback.
The theme's `partials/copyright.html` (in `overrides/`) calls `stdhub_feedback(page)`.
"""

from __future__ import annotations

from typing import Any

from stdhub.config import from_section

SITE = "网站"  # what a comment about a page of the site as a whole is about


def on_env(env: Any, config: Any, files: Any) -> Any:
    settings = from_section(config.extra.get("stdhub") or {})

    def link(page: Any = None) -> str:
        url = getattr(page, "canonical_url", None) or settings.site_url
        title = getattr(page, "title", None) or config.site_name
        return settings.feedback_link(id=SITE, title=str(title), url=url)

    env.globals["stdhub_feedback"] = link
    return env
