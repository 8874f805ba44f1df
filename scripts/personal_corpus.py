"""The personal-data screen against its corpus: recall on real spellings, false positives on look-alikes.

    python scripts/personal_corpus.py [tests/personal/corpus.yaml]

The corpus (all numbers invented, check characters computed) has `positive` entries
(`kind`: the problem code the screen must report, `spelling`: how it is written) and
`negative` ones (`kind`: what the legitimate look-alike is). Prints one table row per
kind × spelling with how many were caught, then recall and false positives; exits 1
unless recall is 100 % and no look-alike is flagged.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import yaml

from stdhub.personal import KIND_NAMES, find_all

CORPUS = Path(__file__).resolve().parent.parent / "tests/personal/corpus.yaml"


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
    return 1 if missed or flagged else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
