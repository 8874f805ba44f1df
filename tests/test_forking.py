"""Work is forked only where that is safe: never from another thread than the main one (as in
`mkdocs serve`'s rebuilds) or beside threads that are not stdhub's own.

Each check runs in a fresh interpreter: threads other tests leave behind (servers, browsers)
would otherwise rightly keep the main thread from forking too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

THREADS = """
import json, threading
from stdhub.forking import fork_context

def in_thread(fn, name):
    out = []
    t = threading.Thread(target=lambda: out.append(fn()), name=name)
    t.start(); t.join()
    return out[0]

def beside(name):
    stop = threading.Event()
    t = threading.Thread(target=stop.wait, name=name, daemon=True)
    t.start()
    try:
        return fork_context() is not None
    finally:
        stop.set(); t.join()

print(json.dumps({
    "main": fork_context() is not None,
    "thread": in_thread(lambda: fork_context() is not None, "Thread-serve"),
    "beside_foreign": beside("livereload-server"),
    "beside_ours": beside("stdhub-retire"),
}))
"""

LOADER = """
import json, os, sys, threading
from pathlib import Path
from stdhub import forking
from stdhub.standards import loader

asked = []
def recorded():
    asked.append(forking.fork_context() is not None)
    return forking.fork_context()

loader.fork_context = recorded
loader.PARALLEL_FROM = 2
os.cpu_count = lambda: 2
repo = Path(sys.argv[1])
paths = loader.discover(repo / "standards")
here = loader.check_files(paths, repo)
out = []
t = threading.Thread(target=lambda: out.append(loader.check_files(paths, repo)), name="Thread-2")
t.start(); t.join()
same = [(c.display, c.schema, c.problems) for c in out[0]] == [
    (c.display, c.schema, c.problems) for c in here
]
print(json.dumps({"asked": asked, "same": same, "files": len(here)}))
"""


def _run(code: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, str(REPO)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_fork_only_from_the_main_thread_beside_our_own_threads() -> None:
    assert _run(THREADS) == {
        "main": True,  # Linux, the main thread, no other thread
        "thread": False,
        "beside_foreign": False,
        "beside_ours": True,
    }


def test_files_checked_in_a_servers_thread_stay_in_this_process() -> None:
    """As when `mkdocs serve` rebuilds: the same results, and no fork from the thread."""
    found = _run(LOADER)
    assert found["asked"] == [True, False]  # forked from the main thread, not from the other
    assert found["same"] and found["files"] > 10
