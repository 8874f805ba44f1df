"""The open-data step of `stdhub build`, between the data step and the site:

1. `prepare_open_data` reads the new `build/data/manifest.json` (still in staging) and exports each 无条件开放
   dataset's downloads into `build/.opendata/<dataset>/` (kept while its database's
   content is unchanged: exporting a million rows takes seconds, hashing it a fraction);
2. the site is built with the 开放数据 section (`stdhub.opendata.section`) and, on each data
   standard's page, the datasets that conform to it (`OpenData.standard_blocks`);
3. the statistics the pages draw are read from the staged databases, after their canned
   statistics' summary tables are written (`stdhub.opendata.statistics`): a chart per canned statistic, each division's figures;
4. `OpenData.install_downloads` links the exported files into the staged site, so large
   files never pass through the site builder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from stdhub import addresses
from stdhub.atomic import link_or_copy
from stdhub.config import Config
from stdhub.datasets.manifest import Dataset, Manifest, read_manifest
from stdhub.datasette.queries import write_summaries
from stdhub.opendata.downloads import DownloadFile, write_downloads
from stdhub.opendata.funds import FundsData, read_funds
from stdhub.opendata.statistics import Chart, TableFigures, figure_tables, statistic_charts
from stdhub.standards.model import Catalogue

if TYPE_CHECKING:
    from stdhub.site.context import Block

WORK = Path("build") / ".opendata"
STAMP = "stamp.json"


@dataclass
class OpenData:
    manifest: Manifest
    catalogue: Catalogue
    config: Config
    today: dt.date
    work: Path
    downloads: dict[str, list[DownloadFile]] = field(default_factory=dict)
    # dataset -> table -> the charts of its canned statistics
    charts: dict[str, dict[str, list[Chart]]] = field(default_factory=dict)
    # the figures of every open table keyed by a division code
    figures: list[TableFigures] = field(default_factory=list)
    # the 资金信息 section's funds and projects, when an open dataset holds them
    funds: FundsData | None = None

    def standard_blocks(self) -> dict[str, list[Block]]:
        """For each standard, a block listing the datasets that conform to it."""
        from stdhub.site.context import Block, Link

        found: dict[str, list[Link]] = {}
        for d in self.manifest.datasets:
            for std in d.conforms_to:
                note = f"{d.access} · {d.publisher}" if d.publisher else d.access
                found.setdefault(std, []).append(Link(d.title, addresses.dataset(d.name), note))
        return {
            std: [Block("符合本标准的数据集", "datasets", tuple(links))]
            for std, links in found.items()
        }

    def install_downloads(self, site_dir: Path) -> None:
        """Link (or copy) every exported file to `opendata/<dataset>/downloads/` of the site."""
        for name, files in self.downloads.items():
            target = site_dir / addresses.download(name, "")
            target.mkdir(parents=True, exist_ok=True)
            for f in files:
                link_or_copy(self.work / name / f.file, target / f.file)


def prepare_open_data(
    project: Path,
    data_dir: Path,
    catalogue: Catalogue,
    config: Config,
    *,
    today: dt.date,
    manifest: Manifest | None = None,
) -> OpenData:
    """Export the open datasets' downloads of `data_dir` (the staged `build/data/`, whose
    `manifest` `build_data` returned; read from `data_dir` when not given) into the cache
    `build/.opendata/`, and read the statistics the pages draw. Raises ManifestError,
    NotPublishable, OSError, sqlite3.Error."""
    manifest = manifest if manifest is not None else read_manifest(data_dir)
    od = OpenData(manifest, catalogue, config, today, project / WORK)
    od.work.mkdir(parents=True, exist_ok=True)
    for d in manifest.open_datasets:
        if d.db:  # the canned statistics' summary tables first: the charts read them
            write_summaries(data_dir / d.db, list(d.tables))
        od.downloads[d.name] = _export(d, data_dir / (d.db or ""), od.work / d.name)
        if d.db:
            od.charts[d.name] = {t.name: statistic_charts(data_dir / d.db, t) for t in d.tables}
    od.figures = figure_tables(data_dir, manifest.open_datasets)
    od.funds = read_funds(data_dir, manifest.open_datasets, catalogue)
    for stale in od.work.iterdir():
        if stale.name not in od.downloads:
            shutil.rmtree(stale)
    return od


def _fingerprint(d: Dataset, db: Path) -> dict[str, object]:
    """The database's content (each build writes a new file, byte for byte the same when
    its data is: a modification time would never match) and its manifest entry."""
    with db.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    return {"db": db.name, "sha256": digest, "entry": repr(d)}


def _export(d: Dataset, db: Path, out: Path) -> list[DownloadFile]:
    """The downloads of one dataset, exported again only when its database changed."""
    stamp = out / STAMP
    wanted = _fingerprint(d, db)
    if stamp.exists():
        kept = json.loads(stamp.read_text(encoding="utf-8"))
        if kept.get("fingerprint") == wanted:
            return [DownloadFile(**f) for f in kept["files"]]
    if out.exists():
        shutil.rmtree(out)
    files = write_downloads(d, db, out)
    record = {"fingerprint": wanted, "files": [asdict(f) for f in files]}
    stamp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return files
