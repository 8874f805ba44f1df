"""A small `build/data/` written to the data step's manifest contract (stdhub.datasets.manifest).

Two datasets: `assist-monthly`, 无条件开放 monthly social-assistance statistics by county
with code tables and a full-text index, and `assist-cases`, 有条件开放, which has no
database at all. Rows are generated, so tests can compare Datasette's answers with them.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from stdhub import fts
from stdhub.datasets import manifest

COUNTIES = {
    "430102": "芙蓉区",
    "430121": "长沙县",
    "430181": "浏阳市",
    "430202": "荷塘区",
    "430304": "岳塘区",
}
CATEGORIES = {"1": "城乡低保", "2": "特困供养", "3": "临时救助"}
AREAS = {"1": "城市", "2": "农村"}
MONTHS = ["2025-01", "2025-02", "2025-03", "2024-12"]
TOWNS = ["星沙街道", "泉塘街道", "黄兴镇", "集里街道", "宝塔街道"]

FIELDS = [
    ("stat_month", "统计月份", "string", "TEXT", None, None),
    ("county_code", "县级行政区划代码", "string", "TEXT", None, "CL-HNMZ-0101"),
    ("town_name", "乡镇（街道）名称", "string", "TEXT", None, None),
    ("assistance_category_code", "社会救助类别代码", "string", "TEXT", None, "CL-HNMZ-JZLB"),
    ("area_type_code", "城乡类别代码", "string", "TEXT", None, "CL-HNMZ-0103"),
    ("households", "保障户数", "integer", "INTEGER", "户", None),
    ("persons", "保障人数", "integer", "INTEGER", "人", None),
    ("funds_yuan", "支出资金", "number", "REAL", "元", None),
    ("standard_yuan", "保障标准", "number", "REAL", "元/人·月", None),
]
CODE_TABLES = {
    "CL-HNMZ-0101": ("湖南省县级及县级以上行政区划代码", COUNTIES),
    "CL-HNMZ-JZLB": ("社会救助类别代码", CATEGORIES),
    "CL-HNMZ-0103": ("城乡类别代码", AREAS),
}


def rows() -> list[dict[str, object]]:
    out = []
    i = 0
    for month in MONTHS:
        for county in COUNTIES:
            for category in CATEGORIES:
                for area in AREAS:
                    i += 1
                    out.append(
                        {
                            "stat_month": month,
                            "county_code": county,
                            "town_name": TOWNS[i % len(TOWNS)],
                            "assistance_category_code": category,
                            "area_type_code": area,
                            "households": 10 + i % 17,
                            "persons": 20 + i % 31,
                            "funds_yuan": round(1000 + i * 12.5, 2),
                            "standard_yuan": 650.0 if area == "1" else 520.0,
                        }
                    )
    return out


def _field(name, title, type_, sqlite_type, unit, code_list):
    return {
        "name": name,
        "title": title,
        "type": type_,
        "sqlite_type": sqlite_type,
        "description": f"{title}。",
        "unit": unit,
        "code_list": code_list,
        "element": f"HNMZ/T 0102-2025#{name.upper()}",
    }


def write_db(path: Path, data: list[dict[str, object]]) -> None:
    conn = sqlite3.connect(path)
    for name, (_, codes) in CODE_TABLES.items():
        conn.execute(f'create table "{name}" (code text primary key, name text)')
        conn.executemany(f'insert into "{name}" values (?, ?)', codes.items())
    cols = ", ".join(
        f"{n} {t}" + (f' references "{cl}"(code)' if cl else "") for n, _, _, t, _, cl in FIELDS
    )
    conn.execute(f"create table monthly ({cols})")
    names = [f[0] for f in FIELDS]
    conn.executemany(
        f"insert into monthly ({', '.join(names)}) values ({', '.join('?' * len(names))})",
        [[r[n] for n in names] for r in data],
    )
    conn.execute("create index monthly_county on monthly(county_code)")
    conn.execute("create index monthly_month on monthly(stat_month)")
    conn.execute(
        f"create virtual table monthly_fts using fts5(town_name, content='', tokenize='{fts.TOKENIZE}')"
    )
    conn.executemany(
        "insert into monthly_fts(rowid, town_name) values (?, ?)",
        [(i + 1, fts.index_text(str(r["town_name"]))) for i, r in enumerate(data)],
    )
    conn.commit()
    conn.close()


def write_build_data(out: Path) -> manifest.Manifest:
    """Write `out/assist-monthly.db`, `out/manifest.json` (with stdhub's own writer) and the
    source CSV; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    data = rows()
    write_db(out / "assist-monthly.db", data)
    with (out / "monthly.source.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, [x[0] for x in FIELDS])
        writer.writeheader()
        writer.writerows(data)
    open_dataset = {
        "name": "assist-monthly",
        "title": "社会救助月度统计（测试）",
        "description": "各县（市、区）每月城乡低保、特困供养和临时救助的户数、人数和资金。",
        "access": "无条件开放",
        "access_conditions": None,
        "db": "assist-monthly.db",
        "source": "datasets/assist-monthly/datapackage.yaml",
        "conforms_to": ["HNMZ/T 0102-2025"],
        "last_updated": "2025-03-31",
        "metadata": {
            "publisher": "湖南省民政厅社会救助处",
            "contact": {
                "name": "数据联系人",
                "email": "jiuzhu@mz.example.gov.cn",
                "phone": "0731-1",
            },
            "licenses": [
                {
                    "name": "CC-BY-4.0",
                    "path": "https://creativecommons.org/licenses/by/4.0/",
                    "title": "知识共享 署名 4.0",
                }
            ],
            "keywords": ["社会救助", "低保", "月度统计"],
            "domain": "社会救助",
            "update_frequency": "每月",
            "temporal": {"start": "2024-12-01", "end": "2025-03-31"},
            "spatial": "430000",
            "sources": [{"title": "湖南省社会救助信息系统"}],
            "sample": True,
            "homepage": None,
            "version": "2025.03",
        },
        "validation": {"errors": 0, "warnings": 1, "rows_checked": len(data), "engine": {}},
        "quality": {"score": 90, "missing": ["homepage"]},
        "tables": [
            {
                "name": "monthly",
                "title": "县级社会救助月度统计",
                "description": "一个县、一个月、一个救助类别、一个城乡类别一行。",
                "rows": len(data),
                "primary_key": [],
                "fields": [_field(*f) for f in FIELDS],
                "foreign_keys": [
                    {"fields": [n], "table": cl, "columns": ["code"]}
                    for n, _, _, _, _, cl in FIELDS
                    if cl
                ],
                "indexes": [["county_code"], ["stat_month"]],
                "fts": {"table": "monthly_fts", "columns": ["town_name"]},
            }
        ],
        "code_tables": [
            {"name": name, "title": title, "rows": len(codes), "label_column": "name"}
            for name, (title, codes) in CODE_TABLES.items()
        ],
    }
    conditional = {
        "name": "assist-cases",
        "title": "社会救助个案（测试）",
        "description": "每个救助个案一行，含个人信息。",
        "access": "有条件开放",
        "access_conditions": "科研机构凭项目批准文件向省民政厅社会救助处书面申请，签订数据使用协议后提供脱敏数据。",
        "db": None,
        "source": "datasets/assist-cases/datapackage.yaml",
        "conforms_to": ["HNMZ/T 0102-2025"],
        "last_updated": "2024-01-31",
        "metadata": {
            "publisher": "湖南省民政厅社会救助处",
            "domain": "社会救助",
            "update_frequency": "每年",
            "keywords": ["个案"],
        },
        "validation": {"errors": 0, "warnings": 0, "rows_checked": 0, "engine": {}},
        "quality": {"score": 70, "missing": ["licenses", "contact"]},
        "tables": [
            {
                "name": "cases",
                "title": "救助个案",
                "description": "",
                "rows": None,
                "primary_key": ["case_id"],
                "fields": [_field("case_id", "救助个案编号", "string", "TEXT", None, None)],
                "foreign_keys": [],
                "indexes": [],
                "fts": None,
            }
        ],
        "code_tables": [],
    }
    document = {"format": manifest.FORMAT, "datasets": [open_dataset, conditional]}
    typed = manifest.parse(document)
    manifest.write(out, typed)
    return typed
