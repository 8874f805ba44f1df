"""Write the sample open datasets: made-up rows, real division codes, a fixed seed.

Every dataset conforms to one of the open-data standards HNMZ/T 0101-0105: its Table
Schema is generated from the standard's record structure (`stdhub table-schema`, stdhub.standards.formats),
so the two cannot drift. The counties come from `datasets/hunan-divisions` (generated
from the NBS editions by scripts/gen_divisions.py). The rows are sample data and say so (`sample:
true`); they are not the department's statistics.

    python scripts/gen_datasets.py                       # the small datasets, every descriptor
    python scripts/gen_datasets.py --only dibao-village-monthly   # the ~1M-row one
    python scripts/gen_datasets.py --only dibao-village-monthly --villages-per-county 3

The ~1M-row `dibao-village-monthly` is never committed: `stdhub build` runs this script
(named in its descriptor's `generator`) when its files are missing. Its descriptor is
committed and rewritten only with `--descriptors`.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stdhub.datasets.descriptor import write_descriptor
from stdhub.datasets.tableschema import schema_for
from stdhub.project import load_catalogue

ROOT = Path(__file__).resolve().parent.parent
SEED = 20251231
MONTHS = [f"{y}-{m:02d}" for y in range(2021, 2026) for m in range(1, 13)]
UPDATED = "2026-01-15"
AREA_CODES = {
    "4301": "0731", "4302": "0731", "4303": "0731", "4304": "0734", "4305": "0739",
    "4306": "0730", "4307": "0736", "4308": "0744", "4309": "0737", "4310": "0735",
    "4311": "0746", "4312": "0745", "4313": "0738", "4331": "0743",
}  # fmt: skip
_PLACES = (
    "桃花青山白沙金星红旗新塘石门长乐杨林龙泉黄土清水高桥东山西湖南岳北斗合心团结和平"
    "梅溪荷塘竹山枫林柳塘松柏樟树茶园花果双江三合四方五里六合七星八一九龙十里太平永丰"
    "兴隆富民安乐福田建设胜利光明幸福先锋向阳"
)
PLACES = [_PLACES[i : i + 2] for i in range(0, len(_PLACES), 2)]
ROADS = [
    f"{name}路"
    for name in ("人民", "解放", "建设", "五一", "芙蓉", "湘江", "劳动", "迎宾", "朝阳", "新华")
]
SAMPLE_NOTE = "本数据集为示例数据：行政区划代码是真实的，其余数值、名称由脚本按固定随机种子生成，不是民政厅的统计数据。"
COMMON = {
    "licenses": [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "知识共享 署名 4.0 国际许可协议",
        }
    ],
    "homepage": "https://mzt.hunan.gov.cn/",
    "spatial": "430000",
    "sample": True,
}


SEATS = Path(__file__).resolve().parent / "data/county-seats-cpca.csv"


def counties(out: Path, *, seats: bool = True) -> list[dict[str, str]]:
    """The current counties (civil-affairs divisions, not abolished), with the coordinates of
    their seats from `data/county-seats-cpca.csv` (cpca 0.5.5, MIT, © 2018 QinYuan Du; the
    four codes changed since are mapped to their successors) unless `seats` is False (the
    build-time generation of the large dataset needs none, and has only this script)."""
    with (out / "hunan-divisions/data/divisions.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    coordinates: dict[str, dict[str, str]] = {}
    if seats:
        with SEATS.open(encoding="utf-8", newline="") as f:
            coordinates = {r["division_code"]: r for r in csv.DictReader(f)}
    names = {r["division_code"]: r["division_name"] for r in rows}
    before = {s: r["division_code"] for r in rows for s in r["successor_codes"].split()}
    found = []
    for r in rows:
        if r["level_code"] == "3" and r["division_type"] == "1" and not r["valid_until"]:
            seat = coordinates.get(r["division_code"], {})
            found.append(
                {
                    **r,
                    "prefecture": names[r["parent_code"]],
                    "longitude": seat.get("longitude", ""),
                    "latitude": seat.get("latitude", ""),
                    "predecessor": before.get(r["division_code"], ""),
                }
            )
    return found


def code_in(county: dict[str, str], month: str) -> str:
    """The county's code for a month: before it came into use (e.g. 祁阳市 431181 from
    2021-02-05), the code it replaced (祁阳县 431121)."""
    start = county["valid_from"][:7]
    if county["predecessor"] and start and month < start:
        return county["predecessor"]
    return county["division_code"]


def write_csv(path: Path, fields: list[str], rows: Iterator[list[Any]] | list[list[Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(fields)
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


def is_urban(county: dict[str, str]) -> bool:
    return county["division_name"].endswith("区")


def yuan(x: float) -> str:
    return f"{x:.2f}"


def standard_for(month: str, urban: bool, category: str = "01") -> float:
    """A monthly 保障标准 rising each year (yuan per person and month)."""
    year = int(month[:4]) - 2021
    base = (650 if urban else 470) + year * 25
    return float(base if category == "01" else round(base * 1.3))


# --- GB 32100 unified social credit codes (with valid check characters) -------------------

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def _org_code(rng: random.Random) -> str:
    """A GB 11714 organisation code: 8 characters and its check character."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def uscc(rng: random.Random, kind: str, division: str) -> str:
    """An 18-character unified social credit code with a valid GB 32100 check character."""
    body = kind + division + _org_code(rng)
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


# --- datasets -------------------------------------------------------------------------------


def write_package(folder: Path, d: dict[str, Any]) -> None:
    """Write a sample package's descriptor, saying where it comes from."""
    write_descriptor(
        folder / "datapackage.yaml",
        d,
        header="Generated by scripts/gen_datasets.py; edit the script, not this file.",
    )


def references(field: str, resource: str) -> dict[str, Any]:
    """A Table Schema `foreignKeys` of one field to the same field of another resource."""
    return {
        "foreignKeys": [{"fields": [field], "reference": {"resource": resource, "fields": [field]}}]
    }


def descriptor(
    name: str,
    schema_of: dict[str, tuple[str, str]],
    extra: dict[str, Any],
    resources: list[dict[str, Any]],
    catalogue,
) -> dict[str, Any]:
    for r in resources:
        std_id, record = schema_of[r["name"]]
        schema = schema_for(catalogue, std_id, record)
        schema.update(r.pop("schema_extra", {}))
        r.update({"format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})
    return {"name": name, **extra, "resources": resources}


def assistance_monthly(out: Path, rng: random.Random, cs: list[dict[str, str]], catalogue) -> None:
    name = "social-assistance-monthly"
    fields = [
        "stat_month",
        "county_code",
        "assistance_category_code",
        "area_type_code",
        "households",
        "persons",
        "funds_yuan",
        "standard_yuan",
    ]

    def rows() -> Iterator[list[Any]]:
        for c in cs:
            scale = rng.uniform(0.6, 1.6)
            for month in MONTHS:
                drift = 1 - 0.004 * MONTHS.index(month)
                for category in ("01", "02"):
                    for area in ("1", "2"):
                        urban_share = 0.8 if is_urban(c) else 0.2
                        share = urban_share if area == "1" else 1 - urban_share
                        base = (2600 if category == "01" else 420) * scale * share * drift
                        households = max(0, int(rng.gauss(base, base * 0.02)))
                        persons = int(
                            households * (rng.uniform(1.5, 1.9) if category == "01" else 1.0)
                        )
                        std = standard_for(month, area == "1", category)
                        funds = (
                            persons * std * rng.uniform(0.55, 0.75)
                            if category == "01"
                            else persons * std
                        )
                        yield [
                            month,
                            code_in(c, month),
                            category,
                            area,
                            households,
                            persons,
                            yuan(funds),
                            yuan(std),
                        ]

    n = write_csv(out / name / "data/monthly.csv", fields, rows())
    d = descriptor(
        name,
        {"monthly": ("HNMZ/T 0102-2025", "XJJZTJ")},
        {
            "title": "城乡低保和特困人员供养月度统计（按县）",
            "description": "2021 年 1 月至 2025 年 12 月，全省各县（市、区）城乡最低生活保障和特困人员救助供养的月度保障户数、人数、支出资金和保障标准，按城市、农村分列。"
            + SAMPLE_NOTE,
            "version": "2025.12",
            "updated": UPDATED,
            **COMMON,
            "keywords": ["最低生活保障", "低保", "特困人员", "社会救助", "月度统计"],
            "publisher": "湖南省民政厅社会救助处",
            "contact": {
                "name": "社会救助处数据联系人",
                "phone": "0731-8000 2102",
                "email": "jiuzhu@mz.example.gov.cn",
            },
            "domain": "社会救助",
            "update_frequency": "每月",
            "temporal": {"start": "2021-01", "end": "2025-12"},
            "conforms_to": ["HNMZ/T 0102-2025"],
            "access": "无条件开放",
        },
        [
            {
                "name": "monthly",
                "title": "县级社会救助月度统计",
                "description": f"每县、每月、每个救助类别和城乡类别一行，共 {n} 行。",
                "path": "data/monthly.csv",
            }
        ],
        catalogue,
    )
    write_package(out / name, d)


def marriage_monthly(out: Path, rng: random.Random, cs: list[dict[str, str]], catalogue) -> None:
    name = "marriage-registration-monthly"
    fields = ["stat_month", "county_code", "registration_type_code", "cases"]
    season = [1.6, 1.1, 0.8, 0.9, 1.3, 0.8, 0.7, 1.1, 1.0, 1.5, 0.9, 1.2]

    def rows() -> Iterator[list[Any]]:
        for c in cs:
            size = rng.uniform(80, 420)
            for month in MONTHS:
                year, m = int(month[:4]), int(month[5:])
                marriages = int(
                    size * season[m - 1] * (1 - 0.06 * (year - 2021)) * rng.uniform(0.9, 1.1)
                )
                divorces = int(
                    marriages * (0.28 if year > 2021 else 0.22) * rng.uniform(0.85, 1.15)
                )
                counts = [marriages, divorces, int(rng.uniform(2, 15)), int(rng.uniform(0, 6))]
                for kind, count in zip("1234", counts, strict=True):
                    yield [month, code_in(c, month), kind, count]

    n = write_csv(out / name / "data/monthly.csv", fields, rows())
    d = descriptor(
        name,
        {"monthly": ("HNMZ/T 0105-2025", "HYDJTJ")},
        {
            "title": "婚姻登记月度统计（按县）",
            "description": "2021 年 1 月至 2025 年 12 月，全省各县（市、区）婚姻登记机关每月办理的结婚登记、离婚登记、补领结婚证和补领离婚证件数。"
            + SAMPLE_NOTE,
            "version": "2025.12",
            "updated": UPDATED,
            **COMMON,
            "keywords": ["婚姻登记", "结婚登记", "离婚登记", "月度统计"],
            "publisher": "湖南省民政厅社会事务处",
            "contact": {
                "name": "社会事务处数据联系人",
                "phone": "0731-8000 2105",
                "email": "hunyin@mz.example.gov.cn",
            },
            "domain": "婚姻登记",
            "update_frequency": "每月",
            "temporal": {"start": "2021-01", "end": "2025-12"},
            "conforms_to": ["HNMZ/T 0105-2025"],
            "access": "无条件开放",
        },
        [
            {
                "name": "monthly",
                "title": "婚姻登记月度统计",
                "description": f"每县、每月、每类业务一行，共 {n} 行。",
                "path": "data/monthly.csv",
            }
        ],
        catalogue,
    )
    write_package(out / name, d)


def elderly_care(out: Path, rng: random.Random, cs: list[dict[str, str]], catalogue) -> None:
    name = "elderly-care-institutions"
    fields = [
        "institution_code",
        "institution_name",
        "county_code",
        "institution_type_code",
        "address",
        "beds",
        "nursing_beds",
        "phone",
        "longitude",
        "latitude",
        "opened_date",
    ]
    rows = []
    used: set[str] = set()
    for c in cs:
        short = (
            c["division_name"].removesuffix("区").removesuffix("县").removesuffix("市")
            or c["division_name"]
        )
        for _ in range(rng.randint(3, 12)):
            kind = rng.choices("1234", weights=[3, 2, 4, 3])[0]
            place = rng.choice(PLACES)
            label = {
                "1": f"{short}社会福利中心",
                "2": f"{short}{place}颐养院",
                "3": f"{short}{place}康养中心",
                "4": f"{short}{place}镇敬老院",
            }[kind]
            if label in used:
                label = (
                    f"{label[:-1]}{rng.randint(2, 9)}{label[-1]}"
                    if kind != "1"
                    else f"{short}{place}养老服务中心"
                )
            if label in used:
                continue
            used.add(label)
            beds = rng.randint(20, 80) if kind == "4" else rng.randint(60, 600)
            code = uscc(rng, "12" if kind in "14" else "52", c["division_code"])
            lon = float(c["longitude"] or 112.9) + rng.uniform(-0.12, 0.12)
            lat = float(c["latitude"] or 28.2) + rng.uniform(-0.1, 0.1)
            phone = f"{AREA_CODES[c['division_code'][:4]]}-{rng.randint(2000000, 8999999) if c['division_code'][:4] == '4331' else rng.randint(22000000, 89999999)}"
            opened = f"{rng.randint(1990, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            address = f"{c['prefecture']}{c['division_name']}{place}{'镇' if kind == '4' else rng.choice(ROADS)}{rng.randint(1, 399)}号"
            rows.append(
                [
                    code,
                    label,
                    c["division_code"],
                    kind,
                    address,
                    beds,
                    int(beds * rng.uniform(0.3, 0.75)),
                    phone,
                    f"{lon:.6f}",
                    f"{lat:.6f}",
                    opened,
                ]
            )
    n = write_csv(out / name / "data/institutions.csv", fields, rows)
    d = descriptor(
        name,
        {"institutions": ("HNMZ/T 0103-2025", "YLJG")},
        {
            "title": "养老机构名录",
            "description": "全省已备案养老机构的统一社会信用代码、名称、所在县（市、区）、类型、地址、床位数、护理型床位数、机构固定电话、经纬度和开业日期。"
            + SAMPLE_NOTE,
            "version": "2025.12",
            "updated": UPDATED,
            **COMMON,
            "keywords": ["养老机构", "敬老院", "床位", "护理型床位", "机构名录"],
            "publisher": "湖南省民政厅养老服务处",
            "contact": {
                "name": "养老服务处数据联系人",
                "phone": "0731-8000 2103",
                "email": "yanglao@mz.example.gov.cn",
            },
            "domain": "养老服务",
            "update_frequency": "每季度",
            "temporal": {"start": "1990-01-01", "end": "2025-12-31"},
            "conforms_to": ["HNMZ/T 0103-2025"],
            "access": "无条件开放",
            "personal_data": {
                "public_contact": [
                    {
                        "resource": "institutions",
                        "field": "phone",
                        "reason": "养老机构对外公布的固定电话，供老年人及家属咨询",
                    }
                ]
            },
        },
        [
            {
                "name": "institutions",
                "title": "养老机构",
                "description": f"一个养老机构一行，共 {n} 行。",
                "path": "data/institutions.csv",
            }
        ],
        catalogue,
    )
    write_package(out / name, d)


def social_organizations(
    out: Path, rng: random.Random, cs: list[dict[str, str]], catalogue
) -> None:
    name = "social-organizations"
    fields = [
        "unified_social_credit_code",
        "org_name",
        "org_type_code",
        "authority_name",
        "authority_division_code",
        "registered_date",
        "status_code",
        "business_scope",
    ]
    topics = [
        ("社会工作服务中心", "2", "开展社会工作专业服务、社区服务、能力建设和政策咨询"),
        ("志愿者协会", "1", "组织志愿服务活动、志愿者培训、交流合作"),
        ("养老服务协会", "1", "行业自律、养老服务标准宣传、从业人员培训、信息咨询"),
        ("慈善会", "1", "募集慈善资金、开展扶贫济困、安老助孤、助医助学等慈善活动"),
        ("社区发展基金会", "3", "资助社区公益项目、困难群众救助、公益人才培养"),
        ("老年大学", "2", "为老年人提供文化、艺术、健康等非学历教育服务"),
        ("婚姻家庭服务中心", "2", "婚姻家庭辅导、家庭教育指导、矛盾纠纷调解"),
        ("残疾人康复中心", "2", "为残疾人提供康复训练、辅具适配和职业技能培训"),
        ("商会", "1", "服务会员企业、行业交流、招商引资、法律咨询"),
        ("殡葬服务协会", "1", "殡葬行业自律、文明节俭治丧宣传、从业人员培训"),
        ("社会救助服务中心", "2", "为低保对象、特困人员等困难群众提供政策咨询、探访关爱和帮扶服务"),
    ]
    prefectures = sorted({(c["parent_code"], c["prefecture"]) for c in cs})
    authorities = [("430000", "湖南省民政厅", "湖南省")]
    authorities += [(code, f"{pname}民政局", pname) for code, pname in prefectures]
    authorities += [
        (c["division_code"], f"{c['division_name']}民政局", c["division_name"]) for c in cs
    ]
    rows = []
    names: set[str] = set()
    while len(rows) < 2400:
        division, authority, area = rng.choices(
            authorities, weights=[40] + [8] * len(prefectures) + [1] * len(cs)
        )[0]
        topic, kind, scope = rng.choice(topics)
        org = f"{area}{rng.choice(PLACES)}{topic}" if rng.random() < 0.6 else f"{area}{topic}"
        if org in names:
            continue
        names.add(org)
        year = rng.randint(1995, 2025)
        status = rng.choices("123", weights=[90, 8, 2])[0]
        rows.append(
            [
                uscc(rng, "5" + kind, division),
                org,
                kind,
                authority,
                division,
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                status,
                scope,
            ]
        )
    n = write_csv(out / name / "data/organizations.csv", fields, rows)
    d = descriptor(
        name,
        {"organizations": ("HNMZ/T 0104-2025", "SHZZDJ")},
        {
            "title": "社会组织登记信息",
            "description": "全省各级民政部门登记的社会团体、民办非企业单位（社会服务机构）和基金会的统一社会信用代码、名称、类型、登记管理机关、成立登记日期、登记状态和业务范围，供公众查询。"
            + SAMPLE_NOTE,
            "version": "2025.12",
            "updated": UPDATED,
            **COMMON,
            "keywords": [
                "社会组织",
                "社会团体",
                "民办非企业单位",
                "基金会",
                "统一社会信用代码",
                "登记查询",
            ],
            "publisher": "湖南省民政厅社会组织管理局",
            "contact": {
                "name": "社会组织管理局数据联系人",
                "phone": "0731-8000 2104",
                "email": "shezu@mz.example.gov.cn",
            },
            "domain": "社会组织",
            "update_frequency": "每月",
            "temporal": {"start": "1995-01-01", "end": "2025-12-31"},
            "conforms_to": ["HNMZ/T 0104-2025"],
            "access": "无条件开放",
        },
        [
            {
                "name": "organizations",
                "title": "社会组织",
                "description": f"一个社会组织一行，共 {n} 行。",
                "path": "data/organizations.csv",
            }
        ],
        catalogue,
    )
    write_package(out / name, d)


def assistance_cases(out: Path, rng: random.Random, cs: list[dict[str, str]], catalogue) -> None:
    name = "assistance-cases"
    fields = [
        "case_id",
        "county_code",
        "assistance_category_code",
        "area_type_code",
        "household_size",
        "approved_date",
        "monthly_amount_yuan",
    ]
    rows = []
    for i in range(300):
        c = rng.choice(cs)
        year = rng.randint(2021, 2025)
        category = rng.choices(["01", "02", "08"], weights=[7, 2, 1])[0]
        size = 1 if category == "02" else rng.randint(1, 6)
        urban = rng.random() < (0.8 if is_urban(c) else 0.2)
        amount = size * standard_for(f"{year}-01", urban) * rng.uniform(0.3, 0.9)
        approved = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append(
            [
                f"JZ{c['division_code']}{year}{i + 1:06d}",
                c["division_code"],
                category,
                "1" if urban else "2",
                size,
                approved,
                yuan(amount),
            ]
        )
    n = write_csv(out / name / "data/cases.csv", fields, rows)
    d = descriptor(
        name,
        {"cases": ("HNMZ/T 0102-2025", "JZGA")},
        {
            "title": "社会救助个案数据（有条件开放）",
            "description": "经县级民政部门批准的社会救助个案：救助类别、城乡类别、家庭人数、批准日期和月救助金额。个案数据虽不含姓名、身份证号等直接标识，但与其他数据结合可能识别到家庭，因此只公开元数据和表结构，数据行不在网上公开。"
            + SAMPLE_NOTE,
            "version": "2025.12",
            "updated": UPDATED,
            **COMMON,
            "keywords": ["社会救助", "救助个案", "有条件开放"],
            "publisher": "湖南省民政厅社会救助处",
            "contact": {
                "name": "社会救助处数据联系人",
                "phone": "0731-8000 2102",
                "email": "jiuzhu@mz.example.gov.cn",
            },
            "domain": "社会救助",
            "update_frequency": "每季度",
            "temporal": {"start": "2021-01-01", "end": "2025-12-31"},
            "conforms_to": ["HNMZ/T 0102-2025"],
            "access": "有条件开放",
            "access_conditions": "仅向承担社会救助政策研究、审计监督等职责的单位提供。申请方式：向湖南省民政厅社会救助处提交书面申请，写明用途、使用范围、使用期限和数据安全措施；经审核同意并签订数据使用协议后，以离线文件方式提供。咨询电话 0731-8000 2102，邮箱 jiuzhu@mz.example.gov.cn。",
        },
        [
            {
                "name": "cases",
                "title": "社会救助个案",
                "description": f"一个获批的救助家庭一行，共 {n} 行（数据行不公开）。",
                "path": "data/cases.csv",
            }
        ],
        catalogue,
    )
    write_package(out / name, d)


YEARS = range(2021, 2026)
FUND_CONTACT = {
    "publisher": "湖南省民政厅规划财务处",
    "contact": {
        "name": "规划财务处数据联系人",
        "phone": "0731-8000 2106",
        "email": "caiwu@mz.example.gov.cn",
    },
}
# (fund, source level, purpose, beneficiary types, counties: all or a share, batch, month
# issued, yuan per county and beneficiary type before the county's scale)
FUND_DOCUMENTS = [
    ("01", "1", "1", ("01", "02", "03"), 1.0, "提前下达", -2, 9_000_000),
    ("01", "1", "1", ("01", "02", "03"), 1.0, "第二批", 6, 4_000_000),
    ("01", "2", "1", ("01", "02", "03"), 1.0, "", 3, 2_500_000),
    ("02", "1", "2", ("07",), 0.3, "", 5, 3_000_000),
    ("02", "2", "3", ("07",), 1.0, "", 7, 400_000),
    ("03", "1", "1", ("04",), 1.0, "", 4, 600_000),
    ("04", "2", "1", ("05", "06"), 1.0, "", 3, 1_800_000),
    ("05", "1", "2", ("04",), 0.07, "", 8, 6_000_000),
]
FUND_NAMES = {
    "01": "困难群众救助补助资金",
    "02": "养老服务体系建设资金",
    "03": "孤儿基本生活费",
    "04": "残疾人两项补贴资金",
    "05": "儿童福利服务体系建设资金",
}


def fen_to_yuan(fen: int) -> str:
    """An amount in fen as yuan to the fen, exactly: 123456 -> `1234.56`."""
    return f"{fen // 100}.{fen % 100:02d}"


def fund_documents(
    rng: random.Random, cs: list[dict[str, str]]
) -> list[tuple[list[Any], list[list[Any]]]]:
    """Each year's fund documents and their allocations: (document row, allocation rows).
    A document's total is the sum of its allocations, to the fen."""
    scale = {c["division_code"]: rng.uniform(0.5, 1.8) for c in cs}
    found = []
    for year in YEARS:
        number = 0
        for fund, level, purpose, kinds, share, batch, month, base in FUND_DOCUMENTS:
            number += rng.randint(3, 9)
            # 提前下达 goes out late the year before, numbered in that year's later sequence
            doc = (
                f"湘财社〔{year}〕{number}号"
                if month > 0
                else f"湘财社〔{year - 1}〕{100 + number}号"
            )
            issued_year, issued_month = (year, month) if month > 0 else (year - 1, 12 + month)
            issued = f"{issued_year}-{issued_month:02d}-{rng.randint(3, 26):02d}"
            where = "中央财政" if level == "1" else "省级"
            if batch == "提前下达":
                title = f"关于提前下达{year}年{where}{FUND_NAMES[fund]}的通知"
            else:
                title = f"关于下达{year}年{batch}{where}{FUND_NAMES[fund]}的通知"
            # a share of the counties in turn, so that over the years each gets its turn
            every = round(1 / share)
            chosen = [c for i, c in enumerate(cs) if (i + year) % every == 0]
            rows = []
            for c in chosen:
                for kind in kinds:
                    weight = {"01": 1.0, "02": 0.35, "03": 0.15}.get(kind, 1.0)
                    grow = 1 + 0.04 * (year - 2021)
                    fen = (
                        round(
                            base * weight * grow * scale[c["division_code"]] * rng.uniform(0.9, 1.1)
                        )
                        * 100
                    )
                    fen += rng.choice((0, 0, 50, 25, 75)) if purpose == "1" else 0
                    code = code_in(c, f"{year}-12")
                    rows.append([doc, code, str(year), fund, level, kind, purpose, fen])
            total = sum(r[-1] for r in rows)
            for r in rows:
                r[-1] = fen_to_yuan(r[-1])
            found.append(([doc, title, issued, fund, level, str(year), fen_to_yuan(total)], rows))
    return found


def fund_allocations(out: Path, rng: random.Random, cs: list[dict[str, str]], catalogue) -> None:
    name = "fund-allocations"
    docs = fund_documents(rng, cs)
    n_docs = write_csv(
        out / name / "data/documents.csv",
        [
            "doc_number",
            "doc_title",
            "issued_date",
            "fund_code",
            "source_level_code",
            "budget_year",
            "total_yuan",
        ],
        [d for d, _ in docs],
    )
    n = write_csv(
        out / name / "data/allocations.csv",
        [
            "doc_number",
            "county_code",
            "budget_year",
            "fund_code",
            "source_level_code",
            "beneficiary_type_code",
            "purpose_code",
            "amount_yuan",
        ],
        [r for _, rows in docs for r in rows],
    )
    d = descriptor(
        name,
        {
            "documents": ("HNMZ/T 0106-2026", "ZJXDWJ"),
            "allocations": ("HNMZ/T 0106-2026", "ZJFP"),
        },
        {
            "title": "民政资金分配信息（2021—2025 年）",
            "description": "2021 至 2025 年度中央和省级财政下达、由民政部门分配的困难群众救助补助资金、养老服务体系建设资金、孤儿基本生活费、残疾人两项补贴资金和儿童福利服务体系建设资金：每份下达文件的文号、标题、日期和总额，以及分到每个县（市、区）、每类服务对象的金额和用途。每份文件的分配金额之和等于其下达总额。只有按县和服务对象类型汇总的金额，没有任何个人。"
            + SAMPLE_NOTE,
            "version": "2025.12",
            "updated": UPDATED,
            **COMMON,
            "keywords": [
                "资金信息",
                "资金分配",
                "困难群众救助补助资金",
                "养老服务体系建设资金",
                "孤儿基本生活费",
                "残疾人两项补贴",
            ],
            **FUND_CONTACT,
            "domain": "综合",
            "update_frequency": "每年",
            "temporal": {"start": "2021", "end": "2025"},
            "conforms_to": ["HNMZ/T 0106-2026"],
            "access": "无条件开放",
        },
        [
            {
                "name": "documents",
                "title": "资金下达文件",
                "description": f"一份下达文件一行，共 {n_docs} 份。",
                "path": "data/documents.csv",
            },
            {
                "name": "allocations",
                "title": "资金分配",
                "description": f"每份下达文件、每个县（市、区）、每类服务对象一行，共 {n} 行。",
                "path": "data/allocations.csv",
                "schema_extra": references("doc_number", "documents"),
            },
        ],
        catalogue,
    )
    write_package(out / name, d)


def townships(out: Path) -> dict[str, list[str]]:
    """The current township-level names of each county: county code -> names."""
    found: dict[str, list[str]] = {}
    with (out / "hunan-divisions/data/townships.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if not r["valid_until"]:
                found.setdefault(r["parent_code"], []).append(r["township_name"])
    return found


def code_in_now(cs: list[dict[str, str]], code: str) -> str:
    """The current code of a county that `code` named before (431121 -> 431181), else ""."""
    return next((c["division_code"] for c in cs if c["predecessor"] == code), "")


def facility_projects(out: Path, rng: random.Random, cs: list[dict[str, str]], catalogue) -> None:
    """Facility projects funded by the 养老服务体系建设资金 (02) and 儿童福利服务体系建设资金
    (05) central documents: each project in a county the document allocated facility money
    to, in the document's year."""
    name = "facility-projects"
    docs = fund_documents(random.Random(f"{SEED}:fund-allocations"), cs)
    places = townships(out)
    names = {c["division_code"]: c["division_name"] for c in cs}
    rows = []
    for doc, allocations in docs:
        number, fund, year = doc[0], doc[3], int(doc[5])
        if doc[4] != "1" or fund not in ("02", "05"):
            continue
        for a in allocations:
            county = a[1]
            county_name = names.get(county) or names.get(code_in_now(cs, county), "")
            for _ in range(rng.randint(1, 2) if fund == "02" else 1):
                if fund == "05":
                    category = "2"
                    label = rng.choice(("儿童福利院建设项目", "未成年人救助保护中心建设项目"))
                    title = f"{county_name}{label}"
                    beds = rng.randint(5, 20) * 10
                else:
                    category = rng.choice("113")
                    towns = places.get(county) or places.get(code_in_now(cs, county), [])
                    rural = [t for t in towns if t.endswith(("镇", "乡"))]
                    town = rng.choice((rural if category == "1" else towns) or towns or ["城区"])
                    if category == "1":
                        title = f"{county_name}{town}敬老院提质改造项目"
                        beds = rng.randint(4, 15) * 10
                    else:
                        title = f"{county_name}{town}综合养老服务中心建设项目"
                        beds = rng.randint(1, 4) * 10
                planned = rng.randint(80, 600) * 10_000 * (3 if category == "2" else 1)
                start = f"{year}-{rng.randint(3, 10):02d}-{rng.randint(1, 28):02d}"
                age = 2025 - year
                status = (
                    rng.choice("44443")
                    if age >= 3
                    else rng.choice("4432")
                    if age >= 2
                    else rng.choice("322")
                    if age == 1
                    else rng.choice("21")
                )
                done = {"1": 0.0, "2": rng.uniform(0.2, 0.8), "3": 1.0, "4": 1.0}[status]
                completed = int(planned * done * rng.uniform(0.95, 1.0)) if done else 0
                finish = ""
                if status in "34":
                    finish = f"{min(year + rng.randint(1, 2), 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    finish = max(finish, start)
                seq = sum(1 for r in rows if r[0].startswith(f"XM{year}{county}")) + 1
                rows.append(
                    [
                        f"XM{year}{county}{seq:03d}",
                        title,
                        county,
                        category,
                        status,
                        f"{planned}.00",
                        f"{completed}.00",
                        beds,
                        start,
                        finish,
                        number,
                    ]
                )
    n = write_csv(
        out / name / "data/projects.csv",
        [
            "project_code",
            "project_name",
            "county_code",
            "project_category_code",
            "project_status_code",
            "planned_investment_yuan",
            "completed_investment_yuan",
            "beds",
            "start_date",
            "completion_date",
            "doc_number",
        ],
        rows,
    )
    d = descriptor(
        name,
        {"projects": ("HNMZ/T 0107-2026", "XMJS")},
        {
            "title": "民政服务设施建设项目（2021—2025 年）",
            "description": "2021 至 2025 年度中央财政养老服务体系建设资金和儿童福利服务体系建设资金支持的敬老院提质改造、综合养老服务中心和儿童福利机构建设项目：所在县（市、区）、类别、计划总投资、累计完成投资、设计床位数、开工和竣工日期、截至 2025 年底的建设状态，以及安排资金的下达文件文号（见“民政资金分配信息”）。"
            + SAMPLE_NOTE,
            "version": "2025.12",
            "updated": UPDATED,
            **COMMON,
            "keywords": ["项目信息", "敬老院", "儿童福利院", "养老服务设施", "建设进度"],
            **FUND_CONTACT,
            "domain": "养老服务",
            "update_frequency": "每季度",
            "temporal": {"start": "2021-01", "end": "2025-12"},
            "conforms_to": ["HNMZ/T 0107-2026"],
            "access": "无条件开放",
        },
        [
            {
                "name": "projects",
                "title": "民政服务设施建设项目",
                "description": f"一个项目一行，共 {n} 个。",
                "path": "data/projects.csv",
            }
        ],
        catalogue,
    )
    write_package(out / name, d)


LARGE = "dibao-village-monthly"


def dibao_villages(
    out: Path, rng: random.Random, cs: list[dict[str, str]], per_county: int
) -> None:
    """~1M rows: monthly 低保 figures for real communities and villages, 2021-2025.

    The villages are the first `per_county` of each current county in
    `hunan-divisions/data/villages.csv` (NBS 2021 edition): codes 0xx–1xx after the
    township are 居委会 (communities, urban), 2xx–3xx 村委会 (villages, rural)."""
    data = out / "hunan-divisions/data"
    with (data / "townships.csv").open(encoding="utf-8", newline="") as f:
        towns = {r["township_code"]: r["township_name"] for r in csv.DictReader(f)}
    with (data / "villages.csv").open(encoding="utf-8", newline="") as f:
        real = list(csv.DictReader(f))
    villages = []
    for c in cs:
        county = c["division_code"]
        mine = [r for r in real if r["village_code"].startswith(county)][:per_county]
        for r in mine:
            community = r["village_code"][9] in "01"
            villages.append(
                [
                    r["village_code"],
                    r["village_name"],
                    towns[r["township_code"]],
                    county,
                    "1" if community else "2",
                ]
            )
    folder = out / LARGE / "data"
    write_csv(
        folder / "villages.large.csv",
        ["village_code", "village_name", "town_name", "county_code", "area_type_code"],
        villages,
    )

    by_code = {c["division_code"]: c for c in cs}

    def rows() -> Iterator[list[Any]]:
        for code, _, _, county, area in villages:
            size = rng.randint(3, 60)
            for month in MONTHS:
                households = max(0, size + rng.randint(-2, 2) - MONTHS.index(month) // 20)
                persons = households + households * rng.randint(40, 90) // 100
                disabled = persons * rng.randint(5, 25) // 100
                std = standard_for(month, area == "1")
                funds = persons * std * rng.randint(55, 80) / 100
                yield [
                    month,
                    code_in(by_code[county], month),
                    code,
                    area,
                    households,
                    persons,
                    disabled,
                    yuan(funds),
                    yuan(std),
                ]

    n = write_csv(
        folder / "monthly.large.csv",
        [
            "stat_month",
            "county_code",
            "village_code",
            "area_type_code",
            "households",
            "persons",
            "disabled_persons",
            "funds_yuan",
            "standard_yuan",
        ],
        rows(),
    )
    print(f"{LARGE}: {len(villages)} villages, {n} monthly rows")


def dibao_descriptor(out: Path, catalogue) -> None:
    d = descriptor(
        LARGE,
        {"villages": ("HNMZ/T 0102-2025", "SQC"), "monthly": ("HNMZ/T 0102-2025", "SQCDBTJ")},
        {
            "title": "城乡低保月度统计（按社区、村）",
            "description": "2021 年 1 月至 2025 年 12 月，全省每个社区（村）每月的最低生活保障户数、人数、其中残疾人数、支出资金和保障标准，约 100 万行，另附社区（村）名录。社区（村）代码、名称及所属乡镇（街道）取自国家统计局 2021 年统计用区划代码（见数据集 hunan-divisions），每县取前若干个。"
            + SAMPLE_NOTE
            + "数据文件较大，不纳入版本库，构建时由 generator 指定的脚本生成。",
            "version": "2025.12",
            "updated": UPDATED,
            **COMMON,
            "keywords": ["最低生活保障", "低保", "社区", "村", "月度统计", "大数据量"],
            "publisher": "湖南省民政厅社会救助处",
            "contact": {
                "name": "社会救助处数据联系人",
                "phone": "0731-8000 2102",
                "email": "jiuzhu@mz.example.gov.cn",
            },
            "domain": "社会救助",
            "update_frequency": "每月",
            "temporal": {"start": "2021-01", "end": "2025-12"},
            "conforms_to": ["HNMZ/T 0102-2025"],
            "access": "无条件开放",
            "generator": {"script": "scripts/gen_datasets.py", "args": ["--only", LARGE]},
        },
        [
            {
                "name": "villages",
                "title": "社区（村）名录",
                "description": "一个社区（村）一行。",
                "path": "data/villages.large.csv",
            },
            {
                "name": "monthly",
                "title": "社区（村）低保月度统计",
                "description": "每个社区（村）每月一行。",
                "path": "data/monthly.large.csv",
                "schema_extra": references("village_code", "villages"),
            },
        ],
        catalogue,
    )
    write_descriptor(
        out / LARGE / "datapackage.yaml",
        d,
        header="Generated by scripts/gen_datasets.py --descriptors; edit the script, not this file. The data files are generated at build time.",
    )


SMALL = {
    "social-assistance-monthly": assistance_monthly,
    "marriage-registration-monthly": marriage_monthly,
    "elderly-care-institutions": elderly_care,
    "social-organizations": social_organizations,
    "assistance-cases": assistance_cases,
    "fund-allocations": fund_allocations,
    "facility-projects": facility_projects,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only", action="append", choices=[*SMALL, LARGE], help="only this dataset (repeatable)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "datasets", help="the datasets folder")
    parser.add_argument(
        "--villages-per-county", type=int, default=140, help=f"size of {LARGE} (140: ~1M rows)"
    )
    parser.add_argument(
        "--descriptors", action="store_true", help=f"with --only: also rewrite {LARGE}'s descriptor"
    )
    args = parser.parse_args(argv)
    catalogue, report = load_catalogue(ROOT / "standards", base=ROOT)
    if not report.ok:
        print(report.as_text(), file=sys.stderr)
        return 1
    cs = counties(args.out, seats=any(name in SMALL for name in args.only or SMALL))
    for name in args.only or list(SMALL):
        rng = random.Random(f"{SEED}:{name}")
        if name == LARGE:
            dibao_villages(args.out, rng, cs, args.villages_per_county)
        else:
            SMALL[name](args.out, rng, cs, catalogue)
            print(name)
    if args.descriptors or not args.only:
        dibao_descriptor(args.out, catalogue)
    return 0


if __name__ == "__main__":
    sys.exit(main())
