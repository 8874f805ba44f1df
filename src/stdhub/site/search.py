"""Search entries for the standards' pages, made from the model instead of the built HTML.

Material's search plugin parses every built page with Python's HTMLParser and runs jieba
once per run of Chinese characters: half of a 2,000-standard build. For the standards'
pages (front matter `search: exclude`) the entries are made here from what the page
shows, segmented with one jieba call per section, in the plugin's own format (location,
title, text as escaped HTML, Chinese words separated by U+200B, tags), and added to its
index after the build (`builder.run(search_entries=...)`). Every other page is indexed by
the plugin as usual. Under `mkdocs serve` the plugin indexes everything itself.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from stdhub.site.context import Block
from stdhub.site.render import markdown
from stdhub.standards.model import Standard

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TAG = re.compile(r"<[^>]+>")
ZWSP = "\u200b"


def segment(text: str) -> str:
    """Chinese words separated by U+200B, as the plugin does it (`_segment_chinese`)."""
    import jieba

    marked = "".join(_HAN_RUN.sub(_fence, token) for token in jieba.cut(text))
    return re.sub(f"{ZWSP}+", ZWSP, marked).strip(ZWSP)


def _fence(match: re.Match[str]) -> str:
    return f"{ZWSP}{match.group(0)}{ZWSP}"


def _plain(text: str | None, *, md: bool = False) -> str:
    if not text:
        return ""
    if md:
        text = html.unescape(_TAG.sub(" ", markdown(text)))
    return " ".join(text.split())


def _entry(location: str, title: str, parts: Iterable[str], tags: list[str]) -> dict[str, Any]:
    text = " ".join(p for p in parts if p)
    entry: dict[str, Any] = {
        "location": location,
        "title": segment(html.escape(title, quote=False)),
        "text": segment(html.escape(text, quote=False)),
    }
    if tags:
        entry["tags"] = tags
    return entry


def standard_entries(std: Standard, page: str, blocks: list[Block]) -> list[dict[str, Any]]:
    """The entries of one standard's page: one per section the page shows, by its anchor."""
    tags = [html.escape(k, quote=False) for k in std.keywords]
    sections: list[tuple[str, str, list[str]]] = [
        ("", f"{std.id} {std.title}", [std.title_en, _plain(std.summary, md=True)])
    ]
    for key, title in (("interpretation", "解读"), ("implementation_plan", "实施方案")):
        value = getattr(std, key)
        if isinstance(value, str) and value:
            sections.append((key.replace("_", "-"), title, [_plain(value, md=True)]))
    if std.scope:
        sections.append(("scope", "范围", [_plain(std.scope, md=True)]))
    if std.service:
        sections += _service(std.service)
    if std.data_elements:
        sections.append(
            (
                "data-elements",
                "数据元",
                [f"{e.id} {e.name} {e.name_en} {e.definition} {e.note}" for e in std.data_elements],
            )
        )
    for top in std.clauses:
        for c in top.walk():
            sections.append(
                (
                    f"clause-{c.number.replace('.', '-')}",
                    f"{c.number} {c.title}",
                    [_plain(c.text, md=True)],
                )
            )
    if std.outcome():
        sections.append(("consultation-outcome", "征求意见结果", [_plain(std.outcome(), md=True)]))
    for b in blocks:
        sections.append((b.anchor, b.title, [b.text, *(link.title for link in b.links)]))
    return [
        _entry(page + (f"#{anchor}" if anchor else ""), title, parts, tags)
        for anchor, title, parts in sections
    ]


def _service(s: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    return [
        (
            "service-item",
            "事项信息",
            [
                s["item_name"],
                s["item_code"],
                s["item_type"],
                s["implementing_body"],
                s.get("service_objects", ""),
                *s["legal_basis"],
            ],
        ),
        ("service-conditions", "受理条件", list(s["conditions"])),
        (
            "service-materials",
            "申请材料",
            [f"{m['name']} {m.get('form', '')} {m.get('note', '')}" for m in s["materials"]],
        ),
        (
            "service-steps",
            "办理流程",
            [
                f"{st['name']} {st.get('time_limit', '')} {st.get('description', '')}"
                for st in s["steps"]
            ],
        ),
        (
            "service-time",
            "办理时限和收费",
            [s["legal_time_limit"], s.get("promised_time_limit", ""), s.get("fees", "")],
        ),
        (
            "service-where",
            "办理地点、时间和咨询投诉",
            [s.get(k, "") for k in ("location", "office_hours", "phone", "complaint")],
        ),
    ]
