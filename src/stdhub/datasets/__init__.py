"""Open datasets: Frictionless packages in `datasets/` -> checks -> SQLite in `build/data/`.

One module per stage:

- `descriptor`: find and read packages; frictionless judges the descriptor; paths stay inside
- `metadata`: the portal metadata (开放属性, 提供单位 …) and the quality indicator
- `tableschema`: Table Schemas of data standards by id (made by `standards.formats`); fields against data elements
- `conformance`: a dataset's fields against the standards it conforms to
- `columnar` (with `keys`): the fast data checks with pyarrow, same problems as frictionless
- `reference`: frictionless itself, for what the columnar engine leaves and as the judge
- `valuescan`: personal data in every cell and descriptor text (`stdhub.personal`); deprecated
  and unlisted codes
- `issues`: frictionless-style errors -> coded problems, grouped and capped
- `check`: all of the above for every package; `stdhub validate` calls it
- `sqlite`, `manifest`, `build`: the loader, the manifest, and the data step of `stdhub build`
"""
