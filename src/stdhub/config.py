"""Site-wide settings, kept in one documented place: the `extra.stdhub` section of `mkdocs.yml`.

```yaml
extra:
  stdhub:
    feedback: "mailto:biaozhun@example.gov.cn?subject={subject}&body={body}"
    site_url: http://127.0.0.1:8000/
    data_url: http://127.0.0.1:8001/
```

The feedback template may be any URL with the placeholders `{id} {version} {title}
{url} {anchor}` (and `{subject} {body}`, ready-made from them); each value is
URL-encoded when the link is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from stdhub.errors import StdhubError

DEFAULT_FEEDBACK = "mailto:mzbz@example.gov.cn?subject={subject}&body={body}"


@dataclass(frozen=True)
class Config:
    feedback: str = DEFAULT_FEEDBACK
    site_url: str = "http://127.0.0.1:8000/"
    data_url: str = "http://127.0.0.1:8001/"

    def feedback_link(
        self, *, id: str, title: str, url: str, version: str = "", anchor: str = ""
    ) -> str:
        """The 意见反馈 address for one thing, every value URL-encoded."""
        where = f"{url}#{anchor}" if anchor else url
        subject = f"意见反馈：{id} {title}".strip()
        if anchor:
            subject += f"（{anchor}）"
        body = f"关于：{id} {version} {title}\n位置：{where}\n\n我的意见：\n"
        values = {
            "id": id,
            "version": version,
            "title": title,
            "url": url,
            "anchor": anchor,
            "subject": subject,
            "body": body,
        }
        return self.feedback.format(**{k: quote(v, safe="") for k, v in values.items()})


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    """`mkdocs.yml` as MkDocs itself reads it (its own YAML loader: `!ENV`, `INHERIT`,
    `!!python/name:` tags as in Material's documented settings), so nothing MkDocs accepts is
    refused here. Raises StdhubError naming the file if it cannot be read or is not a mapping."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with path.open("rb") as f:
            data = yaml_load(f)
    except (OSError, ConfigurationError) as exc:
        raise StdhubError(f"{path}: 无法读取站点配置（{exc}）") from None
    if not isinstance(data, dict):
        raise StdhubError(f"{path}: 顶层应是映射（the site configuration must be a mapping）")
    return data


def load_config(project: Path) -> Config:
    """Read `extra.stdhub` from `project/mkdocs.yml`; defaults where it says nothing."""
    path = project / "mkdocs.yml"
    if not path.exists():
        return Config()
    data = read_mkdocs_yml(path)
    section = (data.get("extra") or {}).get("stdhub") or {}
    return Config(**{k: v for k, v in section.items() if k in Config.__dataclass_fields__})
