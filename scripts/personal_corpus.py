"""The personal-data screen against its two corpora: recall and false positives.

    python scripts/personal_corpus.py [tests/personal/corpus.yaml]

1. The invented spellings (`tests/personal/corpus.yaml`, all numbers invented, check
   characters computed): `positive` entries (`kind`: the problem code the screen must
   report, `spelling`: how it is written) and `negative` ones (`kind`: what the legitimate
   look-alike is). One table row per kind × spelling with how many were caught.
2. Real data holding no personal data (`real_corpus`): published tables from elsewhere
   (`tests/fixtures/reference/`), the NBS division codes, jieba's IDF list, the project's
   statistics, every URL of the standards and pages, and generated credit codes, UUIDs,
   coordinates and ratios. One row per source with how many texts were flagged.

Exits 1 unless recall is 100 % and nothing of either corpus's look-alikes is flagged.
"""

from __future__ import annotations

import csv
import random
import re
import sys
import uuid
from collections import defaultdict
from pathlib import Path

import jieba.analyse
import yaml
from stdnum.cn import uscc

from stdhub.personal import KIND_NAMES, find_all
from stdhub.personal.recognize import id18_valid

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests/personal/corpus.yaml"
REFERENCE = ROOT / "tests/fixtures/reference"
_URL = re.compile(r"https?://[^\s<>\"'，。；、）)\]]+")


def _cells_and_lines(path: Path, delimiter: str = ",") -> list[str]:
    """Every cell and every raw line of a delimited file: a table is published both ways."""
    text = path.read_text(encoding="utf-8-sig")
    cells = [c for row in csv.reader(text.splitlines(), delimiter=delimiter) for c in row]
    return cells + text.splitlines()


def _credit_codes(rng: random.Random, n: int) -> list[str]:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    out = []
    while len(out) < n:
        head = rng.choice("159Y") + rng.choice("1239")
        body = head + "43" + f"{rng.randrange(10000):04d}"
        body += "".join(
            rng.choice(alphabet if rng.random() < 0.3 else "0123456789") for _ in range(9)
        )
        code = body + uscc.calc_check_digit(body)
        if not id18_valid(code):  # a code that is also a valid ID is an ID outside its column
            out.append(code)
    return out


def real_corpus() -> dict[str, list[str]]:
    """Source -> texts as published; none holds personal data."""
    rng = random.Random(21)
    corpus: dict[str, list[str]] = {}
    corpus["country-codes 表（ODC-PDDL）"] = (
        _cells_and_lines(REFERENCE / "country-codes/data/country-codes.csv")
        + (REFERENCE / "country-codes/datapackage.yml").read_text(encoding="utf-8").splitlines()
    )
    v2 = REFERENCE / "frictionless-v2-example"
    corpus["Data Package v2 示例（CC0）"] = [
        *_cells_and_lines(v2 / "deployments.csv"),
        *_cells_and_lines(v2 / "observations_1.tsv", "\t"),
        *_cells_and_lines(v2 / "observations_2.tsv", "\t"),
        (v2 / "datapackage.json").read_text(encoding="utf-8"),
    ]
    corpus["统计用区划代码 2021、2023（国家统计局）"] = [
        line
        for p in sorted((ROOT / "scripts/data/divisions-hunan").glob("*.csv"))
        for line in p.read_text(encoding="utf-8").splitlines()
    ]
    corpus["湖南区划数据集（cpca）"] = [
        line
        for p in sorted((ROOT / "datasets/hunan-divisions/data").glob("*.csv"))
        for line in p.read_text(encoding="utf-8").splitlines()
    ]
    idf = Path(jieba.analyse.__file__).parent / "idf.txt"
    corpus["jieba IDF 表（词 9.15574552361）"] = idf.read_text(encoding="utf-8").splitlines()
    corpus["统计表（本项目示例数据）"] = [
        line
        for name in ("social-assistance-monthly", "marriage-registration-monthly")
        for p in sorted((ROOT / "datasets" / name).rglob("*.csv"))
        for line in p.read_text(encoding="utf-8").splitlines()
    ]
    corpus["数据文件整个读（本项目示例数据，跨行）"] = [  # as the published files are read whole
        p.read_text(encoding="utf-8")
        for name in (
            "social-assistance-monthly",
            "marriage-registration-monthly",
            "elderly-care-institutions",
            "social-organizations",
            "hunan-divisions",
        )
        for p in sorted((ROOT / "datasets" / name).rglob("*.csv"))
    ]
    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("standards/**/*.yaml"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("docs/**/*.md"))]
    corpus["网址（标准和网站页面中的）"] = sorted({u for t in texts for u in _URL.findall(t)})
    codes = _credit_codes(rng, 2000)
    corpus["统一社会信用代码（GB 32100，生成）"] = codes + [
        f"统一社会信用代码：{c}。" for c in codes
    ]
    uuids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(1000)]
    corpus["UUID"] = [str(u) for u in uuids] + [u.hex.upper() for u in uuids]
    points = [
        (
            f"{rng.uniform(108.8, 114.3):.{rng.randint(9, 14)}f}",
            f"{rng.uniform(24.6, 30.1):.{rng.randint(9, 14)}f}",
        )
        for _ in range(2000)
    ]
    corpus["经纬度（9–14 位小数）"] = [f"{x},{y}" for x, y in points] + [
        f"POINT({x} {y})" for x, y in points
    ]
    corpus["比率、得分（11 位小数）"] = [
        f"{rng.choice(['0', '1', '9', '12', '113'])}.{rng.randrange(10**11):011d}"
        for _ in range(3000)
    ]
    return corpus


def evaluate(corpus: dict) -> tuple[list[tuple[str, str, int, int]], list[str], list[str]]:
    """(table rows (group, kind, caught, total), missed positives, flagged negatives)."""
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    missed, flagged = [], []
    for item in corpus["positive"]:
        caught = item["kind"] in {h.kind for h in find_all(item["text"])}
        key = (f"{item['kind']} {KIND_NAMES[item['kind']]}", item["spelling"])
        rows[key][0] += caught
        rows[key][1] += 1
        if not caught:
            missed.append(f"{item['kind']} {item['spelling']}: {item['text']!r}")
    for item in corpus["negative"]:
        hits = find_all(item["text"])
        key = ("look-alike", item["kind"])
        rows[key][0] += bool(hits)
        rows[key][1] += 1
        if hits:
            flagged.append(f"{item['kind']}: {item['text']!r} -> {hits[0].kind}")
    table = [(group, kind, c, t) for (group, kind), (c, t) in rows.items()]
    return table, missed, flagged


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else CORPUS
    corpus = yaml.safe_load(path.read_text(encoding="utf-8"))
    table, missed, flagged = evaluate(corpus)
    print(f"{'kind':<16} {'spelling / look-alike':<24} caught/total")
    for group, kind, caught, total in table:
        print(f"{group:<16} {kind:<24} {caught}/{total}")
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for group, _, caught, total in table:
        totals[group][0] += caught
        totals[group][1] += total
    print(f"\n{'kind':<16} caught/total")
    for group, (caught, total) in totals.items():
        print(f"{group:<16} {caught}/{total}")
    positives, negatives = len(corpus["positive"]), len(corpus["negative"])
    recall = (positives - len(missed)) / positives
    print(
        f"\npositives {positives}, recall {recall:.1%}; look-alikes {negatives}, flagged {len(flagged)}"
    )
    for line in missed:
        print("MISSED", line)
    for line in flagged:
        print("FALSE POSITIVE", line)
    real = evaluate_real(real_corpus())
    print(f"\n{'real data without personal data':<40} flagged/texts")
    for source, (hits, total) in real.items():
        print(f"{source:<40} {len(hits)}/{total}")
        for text, kind in hits[:5]:
            print("  FALSE POSITIVE", kind, repr(text[:120]))
    texts = sum(total for _, total in real.values())
    wrong = sum(len(hits) for hits, _ in real.values())
    print(f"\nreal data: {texts} texts, flagged {wrong}")
    return 1 if missed or flagged or wrong else 0


def evaluate_real(corpus: dict[str, list[str]]) -> dict[str, tuple[list[tuple[str, str]], int]]:
    """Source -> ([(text, kind of its first hit)], number of texts)."""
    out = {}
    for source, texts in corpus.items():
        hits = [(t, found[0].kind) for t in texts if (found := find_all(t))]
        out[source] = (hits, len(texts))
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
