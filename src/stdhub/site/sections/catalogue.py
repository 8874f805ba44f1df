"""The catalogue: every standard in one filterable, sortable table, and the same as data
at stable addresses (`catalogue.json`, `catalogue.csv`)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from stdhub import addresses
from stdhub.site.context import Link, Section, SiteContext
from stdhub.site.downloads import as_json
from stdhub.site.render import date, render
from stdhub.site.status import ORDER, badge, live_attrs
from stdhub.standards.model import Standard
from stdhub.vocab import Kind

LEVELS = ("国家标准", "行业标准", "地方标准", "团体标准", "本单位规范")
COLUMNS = (
    "id",
    "title",
    "title_en",
    "ccs",
    "ics",
    "kind",
    "level",
    "nature",
    "status",
    "status_recorded",
    "domains",
    "issued",
    "effective",
    "withdrawn",
    "ends_as",
    "supersedes",
    "superseded_by",
    "drafting_units",
    "drafters",
    "consultation_start",
    "consultation_end",
    "series",
    "version",
    "latest",
    "url",
    "full_text",
    "json",
)
LISTS = ("domains", "supersedes", "drafting_units", "drafters")  # joined with ";" in CSV


def records(ctx: SiteContext) -> list[dict[str, Any]]:
    """One row per standard version, in catalogue order (kind, then id)."""
    site = ctx.config.site_url
    rows = []
    standards = ctx.catalogue.standards
    for std in sorted(standards.values(), key=sort_key):
        d = std.dates
        successor = ctx.catalogue.successor(std)
        end = std.ending(successor)
        rows.append(
            {
                "id": std.id,
                "title": std.title,
                "title_en": std.title_en,
                "ccs": std.ccs,
                "ics": std.ics,
                "kind": std.kind,
                "level": std.level,
                "nature": std.nature,
                "status": std.display_status(ctx.today, successor),
                "status_recorded": std.status,
                "domains": std.domains,
                "issued": date(d.issued),
                "effective": date(d.effective),
                # the day it ceases (or ceased) to apply, and how: 废止 or 被代替
                "withdrawn": date(end.on if end else None),
                "ends_as": end.shown if end else "",
                "supersedes": list(std.supersedes),
                "superseded_by": std.superseded_by or "",
                "drafting_units": list(std.drafting_units),
                "drafters": list(std.drafters),
                "consultation_start": date(d.consultation_start),
                "consultation_end": date(d.consultation_end),
                "series": std.series,
                "version": std.version,
                "latest": ctx.catalogue.latest(std.series) is std,
                "url": addresses.absolute(site, addresses.standard(std)),
                # the official text of a national standard, or this site's full-text view
                "full_text": addresses.official_text(std)
                or addresses.absolute(site, addresses.standard_print(std)),
                "json": addresses.absolute(site, addresses.downloads(std) + "standard.json"),
            }
        )
    return rows


def sort_key(std: Standard) -> tuple[int, str]:
    return (list(Kind).index(std.kind), std.id)


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow(
            {
                **row,
                **{key: ";".join(row[key]) for key in LISTS},
                "latest": "true" if row["latest"] else "false",
            }
        )
    return out.getvalue()


def _facets(rows: list[dict[str, Any]]) -> list[tuple[str, str, list[tuple[str, int]]]]:
    """(key, label, [(value, count)]) for the filters, in a sensible order."""

    def counted(values: list[str], order: tuple[str, ...] | list[str]) -> list[tuple[str, int]]:
        c = Counter(values)
        known = [(v, c[v]) for v in order if c[v]]
        return known + sorted((v, n) for v, n in c.items() if v not in order)

    return [
        ("kind", "类别", counted([r["kind"] for r in rows], list(Kind))),
        ("level", "级别", counted([r["level"] for r in rows], LEVELS)),
        ("domain", "领域", counted([d for r in rows for d in r["domains"]], [])),
        ("status", "状态", counted([r["status"] for r in rows], ORDER)),
    ]


def catalogue_section(ctx: SiteContext) -> Section:
    rows = records(ctx)
    page = addresses.CATALOGUE
    text = render(
        "catalogue.md",
        rows=rows,
        facets=_facets(rows),
        addresses=addresses,
        badge=badge,
        u=lambda target: addresses.relative(target, page),
        page_of={r["id"]: addresses.standard(r["id"]) for r in rows},
        live={
            s.id: live_attrs(s, ctx.catalogue.successor(s))
            for s in ctx.catalogue.standards.values()
        },
        # what the text filter also matches: a standard's keywords (低保 finds 最低生活保障)
        terms={s.id: " ".join(s.keywords) for s in ctx.catalogue.standards.values()},
    )
    data = {
        "title": "标准目录",
        "generated_for": ctx.today.isoformat(),
        "count": len(rows),
        "standards": rows,
    }
    return Section(
        name="catalogue",
        weight=20,
        files={
            addresses.docs_path(page): text,
            addresses.CATALOGUE_JSON: as_json(data),
            addresses.CATALOGUE_CSV: _csv(rows),
        },
        nav=[{"标准目录": addresses.docs_path(page)}],
        entry=Link("标准目录", page, f"全部 {len(rows)} 项标准，可按类别、级别、领域和状态筛选"),
    )
