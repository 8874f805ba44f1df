"""Site-wide settings, kept in one documented place: the `extra.stdhub` section of `mkdocs.yml`.

```yaml
extra:
  stdhub:
    feedback: "mailto:biaozhun@example.gov.cn?subject={subject}&body={body}"
    feedback_service: https://biaozhun.example.gov.cn/feedback/   # optional
    site_url: http://127.0.0.1:8000/
    data_url: http://127.0.0.1:8001/
    builder: mkdocs          # or zensical (`pip install -e ".[zensical]"`); `--builder` too
```

The feedback template may be any URL with the placeholders `{id} {version} {title}
{url} {anchor}` (and `{subject} {body}`, ready-made from them); each value is
URL-encoded when the link is built. When `feedback_service` names the address of the
feedback service (`stdhub.feedback.service`, which `stdhub serve` runs and `stdhub deploy
nginx` proxies under `/feedback/`), every link opens its form instead
(`service_template`); without it the `mailto:` template is the fallback of a purely static
deployment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from stdhub.errors import StdhubError
from stdhub.problems import Report, did_you_mean

DEFAULT_FEEDBACK = "mailto:mzbz@example.gov.cn?subject={subject}&body={body}"
# the site builders `stdhub.site.builder` runs; the default is the faster on the same pages,
# measured by scripts/bench_site.py (README, "Two site builders": Zensical 0.0.73 took
# 1.1–2× the wall and CPU seconds of mkdocs-material, 2026-12-07)
BUILDERS = ("mkdocs", "zensical")
DEFAULT_BUILDER = "mkdocs"
SERVICE_QUERY = "new?id={id}&version={version}&title={title}&url={url}&anchor={anchor}"


def service_template(base: str) -> str:
    """The feedback template of the service at `base` (`https://host/feedback/`): its form,
    pre-filled with the five values."""
    return base.rstrip("/") + "/" + SERVICE_QUERY


def describe_anchor(anchor: str) -> str:
    """Where on a page, in words people read: `clause-5-4` -> `第 5.4 条`, `de-XM` ->
    `数据元 XM`; other anchors (a table, a row, a list item) are ids the title already names
    in words, so ''."""
    if anchor.startswith("clause-"):
        return f"第 {anchor.removeprefix('clause-').replace('-', '.')} 条"
    if anchor.startswith("de-"):
        return f"数据元 {anchor.removeprefix('de-')}"
    return ""


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*(?:/[^/ ]+)*")


def named(id: str, title: str) -> str:
    """A thing by its id and title: `HNMZ/T 0101-2026 某某规范`; a dataset's (or its table's,
    row's) lower-case name (`social-assistance-monthly/monthly`) is an address, not a
    number people cite, so only its title then."""
    if title and _SLUG.fullmatch(id):
        return title
    return f"{id} {title}".strip()


def describe(*, id: str, title: str, version: str = "", anchor: str = "") -> str:
    """What a comment is about, in one line: `HNMZ/T 0101-2026 某某规范 第 5.4 条`. The
    version is left out when the id already ends with it (`…-2026`, version `2026`)."""
    text = named(id, title)
    if version and not id.endswith(version):
        text += f"（{version} 版）"
    where = describe_anchor(anchor)
    return f"{text} {where}" if where else text


@dataclass(frozen=True)
class Config:
    feedback: str = DEFAULT_FEEDBACK
    feedback_service: str = ""
    site_url: str = "http://127.0.0.1:8000/"
    data_url: str = "http://127.0.0.1:8001/"
    builder: str = DEFAULT_BUILDER

    def feedback_link(
        self, *, id: str, title: str, url: str, version: str = "", anchor: str = ""
    ) -> str:
        """The 意见反馈 address for one thing, every value URL-encoded."""
        where = f"{url}#{anchor}" if anchor else url
        subject = f"意见反馈：{named(id, title)}"
        if describe_anchor(anchor):
            subject += f"（{describe_anchor(anchor)}）"
        body = f"关于：{describe(id=id, title=title, version=version, anchor=anchor)}\n"
        body += f"位置：{where}\n\n我的意见：\n"
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
    return from_section((data.get("extra") or {}).get("stdhub") or {})


@dataclass(frozen=True)
class SettingProblem:
    """One thing wrong in `extra.stdhub`: the setting, the problem code (`stdhub.codes`:
    S015 a value of the wrong kind, W016 an unknown setting), what is wrong, how to fix it."""

    key: str
    code: str
    message: str
    hint: str


_ADDRESSES = ("site_url", "data_url", "feedback_service")


def section_problems(section: Any) -> list[SettingProblem]:
    """Everything wrong in an `extra.stdhub` mapping, in the order written: every setting is
    a text; `site_url` and `data_url` (and `feedback_service`, when given) are http(s)
    addresses; `builder` is one of BUILDERS; a key that is none of these is unknown."""
    if not isinstance(section, dict):
        return [
            SettingProblem(
                "", "S015", "extra.stdhub 应是映射", "每行写一项设置：`site_url: https://…/`"
            )
        ]
    found = []
    known = list(Config.__dataclass_fields__)
    for key, value in section.items():
        name = f"extra.stdhub.{key}"
        address = f"写完整的地址，例如 `{key}: https://biaozhun.example.gov.cn/`"
        if key not in known:
            hint = did_you_mean(str(key), known) or f"删除它；可用的设置有 {'、'.join(known)}"
            found.append(
                SettingProblem(str(key), "W016", f"{name} 不是 stdhub 的设置，已忽略", hint)
            )
        elif not isinstance(value, str):
            found.append(
                SettingProblem(
                    key,
                    "S015",
                    f"{name} 应是文本，写的是 {value!r}",
                    address if key in _ADDRESSES else f'写成文本：`{key}: "…"`',
                )
            )
        elif key == "builder" and value not in BUILDERS:
            hint = did_you_mean(value, BUILDERS) or f"写 {' 或 '.join(BUILDERS)}"
            found.append(
                SettingProblem(
                    key,
                    "S015",
                    f"{name} 为 {value!r}，应为 {' 或 '.join(BUILDERS)}（the site builder）",
                    hint,
                )
            )
        elif key in _ADDRESSES and value and not re.match(r"https?://[^/\s]+", value):
            found.append(
                SettingProblem(
                    key,
                    "S015",
                    f"{name} 应是 http:// 或 https:// 开头的地址，写的是 {value!r}",
                    address,
                )
            )
    return found


def report_settings(project: Path, report: Report) -> None:
    """The problems of `project/mkdocs.yml`'s `extra.stdhub` (`section_problems`) into
    `report`, each at the line of its setting; nothing when there is no such file (or it
    cannot be read: the build says why)."""
    path = project / "mkdocs.yml"
    if not path.is_file():
        return
    try:
        extra = read_mkdocs_yml(path).get("extra") or {}
    except StdhubError:
        return
    section = extra.get("stdhub", {}) if isinstance(extra, dict) else {}
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    start = next((n for n, text in enumerate(lines) if re.match(r"\s+stdhub\s*:", text)), 0)
    for p in section_problems(section):
        key = re.compile(rf"\s+{re.escape(p.key)}\s*:")
        line = next((n for n in range(start, len(lines)) if key.match(lines[n])), start)
        where = ("extra", "stdhub", p.key) if p.key else ("extra", "stdhub")
        column = len(lines[line]) - len(lines[line].lstrip()) + 1 if lines else 1
        report.add(
            p.code, "mkdocs.yml", p.message, line=line + 1, column=column, path=where, hint=p.hint
        )


def from_section(section: dict[str, Any]) -> Config:
    """The configuration an `extra.stdhub` mapping describes (unknown keys ignored: `stdhub
    validate` warns of them, W016). Raises StdhubError naming the first value of the wrong
    kind (S015)."""
    for p in section_problems(section):
        if p.code == "S015":
            raise StdhubError(f"mkdocs.yml: {p.message}（{p.hint}）")
    return with_service(
        Config(**{k: v for k, v in section.items() if k in Config.__dataclass_fields__})
    )


def as_section(config: Config) -> dict[str, str]:
    """The `extra.stdhub` mapping of `config` (`from_section` reads it back)."""
    return {k: getattr(config, k) for k in Config.__dataclass_fields__}


def with_service(config: Config, base: str | None = None) -> Config:
    """`config` whose links open the feedback service at `base` (default: its
    `feedback_service`, if any); unchanged without one."""
    base = base if base is not None else config.feedback_service
    if not base:
        return config
    return replace(config, feedback_service=base, feedback=service_template(base))
