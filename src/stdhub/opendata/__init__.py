"""The site's 开放数据 section: the dataset pages, their downloads (CSV, XLSX, ZIP with the
republished `datapackage.json`), the DCAT catalogue and the quality figures (`prepare` reads
the data manifest; `section`, `downloads`, `dcat`, `quality`, `pages` write from it)."""
