"""`build/data/manifest.json`: what the data step published, for Datasette and the site.

The contract with the publishing side (issue 5). One SQLite file per dataset,
`build/data/<dataset name>.db`, one table per resource (table name = resource name),
one table per code list used by a coded column (table name = code list id, e.g.
`CL-HNMZ-0101`, columns `code` TEXT PRIMARY KEY and `name` TEXT, so Datasette shows
the name as the label of a foreign key), and the manifest:

```json
{
  "format": "stdhub-data-manifest/1",
  "fts": {"tokenize": "unicode61 remove_diacritics 2",
          "index_function": "stdhub.fts.index_text",
          "query_function": "stdhub.fts.match_expression"},
  "datasets": [{
    "name": "hunan-divisions",            # folder name under datasets/, = package name
    "title": "湖南省行政区划代码", "description": "…",
    "access": "无条件开放",                 # or "有条件开放"
    "access_conditions": "…",             # 有条件开放: how to apply (else null)
    "db": "hunan-divisions.db",           # null for 有条件开放: no rows anywhere
    "source": "datasets/hunan-divisions/datapackage.yaml",
    "conforms_to": ["HNMZ/T 0101-2025"],
    "last_updated": "2025-12-31",         # the descriptor's `updated` (or null)
    "metadata": {"publisher": "…", "contact": {…}, "licenses": […], "keywords": […],
                 "domain": "区划地名", "update_frequency": "每年",
                 "temporal": {"start": "…", "end": "…"}, "spatial": "430000",
                 "sources": […], "sample": false, "homepage": null},
    "validation": {"errors": 0, "warnings": 1, "rows_checked": 137,
                   "engine": {"divisions": "columnar"}},
    "quality": {"score": 100, "missing": []},   # 0-100, from metadata completeness
    "tables": [{
      "name": "divisions", "title": "…", "description": "…",
      "rows": 137,                        # null for 有条件开放
      "primary_key": ["division_code"],
      "fields": [{"name": "division_code", "title": "行政区划代码", "type": "string",
                  "sqlite_type": "TEXT", "description": "…", "unit": null,
                  "code_list": "CL-HNMZ-0101", "element": "HNMZ/T 0101-2025#XZQHDM"}],
      "foreign_keys": [{"fields": ["division_code"], "table": "CL-HNMZ-0101",
                        "columns": ["code"]}],
      "indexes": [["level_code"]],
      "fts": {"table": "divisions_fts", "columns": ["division_name"]}   # or null
    }],
    "code_tables": [{"name": "CL-HNMZ-0101", "title": "…", "rows": 137,
                     "label_column": "name"}]
  }]
}
```

Full-text search tables are contentless FTS5 tables (`content=''`) holding
`stdhub.fts.index_text(value)` per searched column, rowid = the row's rowid; search with
`rowid IN (SELECT rowid FROM <fts table> WHERE <fts table> MATCH match_expression(q))`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stdhub import fts

FORMAT = "stdhub-data-manifest/1"
FILE_NAME = "manifest.json"


def manifest(datasets: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole manifest around the per-dataset entries (in the order given)."""
    return {
        "format": FORMAT,
        "fts": {
            "tokenize": fts.TOKENIZE,
            "index_function": "stdhub.fts.index_text",
            "query_function": "stdhub.fts.match_expression",
        },
        "datasets": datasets,
    }


def write(out_dir: Path, datasets: list[dict[str, Any]]) -> Path:
    path = out_dir / FILE_NAME
    text = json.dumps(manifest(datasets), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def read(data_dir: Path) -> dict[str, Any]:
    return json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
