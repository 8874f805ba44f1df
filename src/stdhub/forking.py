"""The one rule for handing work to forked processes (checking files in parallel, writing the
site's downloads beside the builder).

`fork` copies only the calling thread; a lock another thread held at that moment stays held
in the child for ever. So work is forked only from the main thread of a process whose other
threads, if any, are stdhub's own (named `stdhub-…`: they delete files or serve static files
and hold nothing a child needs). Never, then, from `mkdocs serve`'s threads, where the hook
rebuilds the site; never where there is no `fork` (Windows, macOS by default). Callers then
do the same work in this process.
"""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.context import BaseContext

THREAD_PREFIX = "stdhub-"


def fork_context() -> BaseContext | None:
    """The `fork` context when forking is safe here, else None (do the work in-process)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if any(not t.name.startswith(THREAD_PREFIX) for t in others):
        return None
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None
