"""The publishing steps of `stdhub build`: Datasette's directory and the catalogue files.

build/data/ (the data step)  ->  build/datasette/   (Datasette configuration directory)
                             ->  opendata/ files of the site (downloads, DCAT)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stdhub.config import Config
from stdhub.datasets.manifest import Manifest, read_manifest
from stdhub.datasette import catalogue as catalogue_db
from stdhub.datasette.configdir import write_config_dir
from stdhub.datasette.metadata import datasette_metadata
from stdhub.datasette.queries import write_summaries
from stdhub.datasette.settings import datasette_settings
from stdhub.datasette.sorting import write_sort_indexes
from stdhub.standards.model import Catalogue


def publish_datasette(
    data_dir: Path,
    out: Path,
    catalogue: Catalogue,
    config: Config,
    manifest: Manifest | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write the new folder `out` (e.g. build/datasette/) from `data_dir` (build/data/).

    Only 无条件开放 datasets are linked in; a 有条件开放 dataset has no database to link.
    Each database gets the summary tables of its canned statistics (`write_summaries`) and
    the indexes its large tables sort by (`write_sort_indexes`): written into `data_dir`'s
    file, which `out` links to. The `catalogue` database (`stdhub.datasette.catalogue`, the
    standards' status as on `today`) is written into `out` itself.
    """
    manifest = manifest or read_manifest(data_dir)
    databases = {d.name: data_dir / d.db for d in manifest.open_datasets if d.db}
    metadata = datasette_metadata(manifest, catalogue, config)
    for d in manifest.open_datasets:
        if d.db:  # the canned statistics read these; their pages are the queries
            hidden = write_summaries(data_dir / d.db, list(d.tables))
            write_sort_indexes(data_dir / d.db, list(d.tables))
            tables = metadata["databases"][d.name].setdefault("tables", {})
            tables.update({name: {"hidden": True} for name in hidden})
    built = out.with_name(out.name + ".catalogue.db")  # beside `out`, which must be new
    built.unlink(missing_ok=True)
    catalogue_db.write_catalogue_db(built, catalogue, config, today or dt.date.today())
    databases[catalogue_db.NAME] = built
    try:
        return write_config_dir(out, databases, metadata, datasette_settings(config.data_url))
    finally:
        built.unlink(missing_ok=True)  # `out` holds it (a hard link or a copy)
