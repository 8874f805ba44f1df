"""Over generated series (any statuses, dates, supersession links and withdrawals): when
validate finds no error, on every day at most one edition is in force, and it is the one
the decisions recorded in the YAML say (the newest that has taken effect, unless its end
has come)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from tempfile import TemporaryDirectory

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from timeline_helpers import oracle

from stdhub.project import load_catalogue

YEARS = (2016, 2019, 2022, 2025)
DAY0 = dt.date(2016, 1, 1)
VALIDATED = dt.date(2026, 12, 6)


def _edition(year: int, status: str, effective: int, withdrawn: int | None) -> dict:
    eff = DAY0 + dt.timedelta(days=effective)
    data = {
        "id": f"HNMZ/T 0001-{year}",
        "title": "示例管理标准",
        "kind": "管理标准",
        "level": "本单位规范",
        "nature": "推荐",
        "status": status,
        "dates": {"issued": eff - dt.timedelta(days=30), "effective": eff},
        "domains": ["综合"],
        "responsible_unit": "湖南省民政厅",
        "scope": "本标准规定了示例内容。",
        "clauses": [{"number": "1", "title": "范围", "text": "本标准适用于示例。"}],
        "history": [{"date": eff - dt.timedelta(days=30), "event": "批准发布"}],
    }
    if withdrawn is not None:
        data["dates"]["withdrawn"] = eff + dt.timedelta(days=withdrawn)
        data["history"].append({"date": data["dates"]["withdrawn"], "event": "废止"})
    return data


@st.composite
def series(draw) -> list[dict]:
    """Editions of one series, newer ones taking effect later, most linked and typed as
    staff would type them on the validation day; some left contradictory on purpose."""
    n = draw(st.integers(1, len(YEARS)))
    offsets = sorted(draw(st.lists(st.integers(0, 4000), min_size=n, max_size=n, unique=True)))
    editions = []
    for year, effective in zip(YEARS, offsets, strict=False):
        withdrawn = draw(st.none() | st.none() | st.integers(1, 2000))
        e = _edition(year, "现行", effective, withdrawn)
        if e["dates"]["effective"] > VALIDATED:
            e["status"] = "已批准"
        if withdrawn is not None and draw(st.booleans()):
            e["status"] = "废止"
        editions.append(e)
    for old, new in itertools.pairwise(editions):
        if draw(st.integers(0, 9)) < 8:  # linked: the new one supersedes the old
            old["superseded_by"], new["supersedes"] = new["id"], [old["id"]]
            when = draw(st.sampled_from(["successor", "successor", "none", "other"]))
            if when != "none":
                day = new["dates"]["effective"]
                if when == "other":
                    day += dt.timedelta(days=draw(st.integers(-300, 300)))
                old["history"].append({"date": day, "event": "被代替"})
                if old["status"] != "废止" and draw(st.booleans()):
                    old["status"] = "被代替"
    if draw(st.integers(0, 9)) == 0:  # now and then a status typed at random
        draw(st.sampled_from(editions))["status"] = draw(
            st.sampled_from(["已批准", "现行", "被代替", "废止"])
        )
    return editions


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(editions=series(), days=st.lists(st.integers(-100, 7000), min_size=5, max_size=20))
def test_a_valid_series_has_at_most_one_edition_in_force(editions: list[dict], days) -> None:
    with TemporaryDirectory() as tmp:
        root = Path(tmp) / "standards" / "management"
        root.mkdir(parents=True)
        for e in editions:
            name = e["id"].replace("/", "-").replace(" ", "-") + ".yaml"
            text = yaml.safe_dump(e, allow_unicode=True, sort_keys=False)
            (root / name).write_text(text, encoding="utf-8")
        cat, report = load_catalogue(root.parent, today=VALIDATED, base=Path(tmp))
    if not report.ok:
        return  # validate refused it: what it publishes is what matters
    for offset in days:
        day = DAY0 + dt.timedelta(days=offset)
        in_force = [s.id for s in cat.in_force("HNMZ/T 0001", day)]
        expected = oracle(editions, day)
        assert in_force == ([expected] if expected else []), (day, report.as_text())
