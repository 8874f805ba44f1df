"""The addresses a running `stdhub serve` serves, so that a build beside it keeps them.

`stdhub serve` builds the site for its own addresses (`serve.local_config`: the site, the
data, and the feedback service whose form every 意见反馈 link opens) and switches to every
new build it finds. A `stdhub build` run beside it with `mkdocs.yml`'s addresses would
turn every form link back into `mailto:` on the running site. So serve records what it
serves in `build/.serving.json` while it runs (`record`), and `stdhub build` builds for
those addresses while that serve answers (`running`), saying so. One source: the record
is the configuration serve built with (`config.as_section`), read back by `from_section`.
"""

from __future__ import annotations

import contextlib
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from stdhub.config import Config, as_section, from_section

RECORD = Path("build") / ".serving.json"


@contextlib.contextmanager
def record(project: Path, config: Config) -> Iterator[None]:
    """While the block runs, `project` is served with `config` (removed at its end; a
    record left by `kill -9` is ignored once its serve no longer answers)."""
    path = project / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    mine = {"pid": os.getpid(), "config": as_section(config)}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(mine, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()


def running(project: Path) -> tuple[int, Config] | None:
    """The pid and configuration of the `stdhub serve` serving `project` now, or None: its
    process is alive and its feedback service answers."""
    try:
        kept = json.loads((project / RECORD).read_text(encoding="utf-8"))
        pid, config = int(kept["pid"]), from_section(kept["config"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, another account's
    if config.feedback_service and not _answers(config.feedback_service):
        return None
    return pid, config


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False
