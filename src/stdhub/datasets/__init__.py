"""Open datasets: Frictionless packages in `datasets/` -> checks -> SQLite in `build/data/`.

One module per stage: `descriptor` (find and read packages, metadata completeness),
`tableschema` (Table Schemas generated from data standards, conformance of fields),
`columnar` (fast checks with pyarrow, same problems as frictionless) and `reference`
(frictionless itself), `personal` (personal-data screening), `sqlite` (the loader),
`manifest` (what the publishing side reads), `pipeline` (validate and build).
"""
