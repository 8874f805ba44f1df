"""Write Hunan's division code lists and the hunan-divisions dataset: the same as
`stdhub divisions generate` (kept for old notes; see docs/divisions-editions.md).

Run from the repository root: `python scripts/gen_divisions.py`.
"""

from __future__ import annotations

import sys

from click.testing import CliRunner

from stdhub.cli import cli

if __name__ == "__main__":
    result = CliRunner().invoke(cli, ["divisions", "generate", *sys.argv[1:]])
    print(result.output, end="")
    sys.exit(result.exit_code)
