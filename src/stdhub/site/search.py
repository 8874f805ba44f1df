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
from pathlib import Path
from typing import Any

from stdhub.site.context import Block
from stdhub.site.render import markdown
from stdhub.standards.model import Standard

# A page that no longer applies ranks below every current page that matches at all
# (lunr multiplies the score by the document boost; a tag match alone weighs 1e6).
OLD_BOOST = 1e-7
# Material's search worker splits a Chinese query into the longest words its index knows,
# but never lets a word end at the query's last character (`o<t.length`), so 婚姻登记 is
# searched as 婚姻 and 最低生活保障 as 最低. `fix_query_segmentation` corrects the two bounds.
WORKER_FIX = (
    (
        "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e",
        "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e",
    ),
    ("n[a]&&a<t.length-1&&(i[s++]=a)", "n[a]&&a<t.length&&(i[s++]=a)"),
)

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


def fix_query_segmentation(site_dir: Path) -> bool:
    """Correct the query segmentation of the theme's search worker in the built site
    (see WORKER_FIX); False when the worker is not the one the fix is for."""
    fixed = False
    for worker in (site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"):
        code = worker.read_text(encoding="utf-8")
        if all(old in code for old, _ in WORKER_FIX):
            for old, new in WORKER_FIX:
                code = code.replace(old, new)
            worker.write_text(code, encoding="utf-8")
            fixed = True
    return fixed


def name_phrases(name: str, longest: int = 12) -> list[str]:
    """Every run of 2 to `longest` Chinese characters inside `name`, as index words: the
    theme splits a Chinese query into the longest words its index holds, so a query that
    is a phrase of an official name (离婚登记 in 内地居民离婚登记办事指南) is searched as
    that one phrase, and matches the name, not its separate words."""
    phrases = []
    for run in _HAN_RUN.findall(name):
        for size in range(2, min(len(run), longest) + 1):
            phrases += [run[i : i + size] for i in range(len(run) - size + 1)]
    return phrases


def standard_entries(std: Standard, page: str, blocks: list[Block]) -> list[dict[str, Any]]:
    """The entries of one standard's page: one per section the page shows, by its anchor;
    a superseded or withdrawn standard's with a lower boost.

    Only the page's first entry has tags (the theme weighs a tag a thousand times a title
    word): its keywords, every phrase of its official name and its number, so a query that
    is part of the name or the number puts the page itself first, above sections of other
    pages that mention it.
    """
    tags = [
        html.escape(k, quote=False)
        for k in dict.fromkeys([*std.keywords, *name_phrases(std.title), std.id])
    ]
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
    entries = [
        _entry(page + (f"#{anchor}" if anchor else ""), title, parts, [] if anchor else tags)
        for anchor, title, parts in sections
    ]
    if std.status in ("被代替", "废止"):
        for entry in entries:
            entry["boost"] = OLD_BOOST
    return entries


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
