"""Work is forked only where that is safe: never from another thread than the main one (as in
`mkdocs serve`'s rebuilds) or beside threads that are not stdhub's own."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from stdhub.forking import fork_context
from stdhub.standards import loader

REPO = Path(__file__).resolve().parents[1]


def _in_thread(fn, name: str = "Thread-mkdocs-serve"):
    out: list = []
    t = threading.Thread(target=lambda: out.append(fn()), name=name)
    t.start()
    t.join()
    return out[0]


def test_fork_only_from_the_main_thread_beside_our_own_threads() -> None:
    assert fork_context() is not None  # Linux, main thread, no other thread
    assert _in_thread(fork_context) is None
    stop = threading.Event()
    foreign = threading.Thread(target=stop.wait, name="livereload-server", daemon=True)
    foreign.start()
    try:
        assert fork_context() is None
    finally:
        stop.set()
        foreign.join()
    ours = threading.Thread(target=stop.wait, name="stdhub-retire", daemon=True)
    stop.clear()
    ours.start()
    try:
        assert fork_context() is not None
    finally:
        stop.set()
        ours.join()


def test_files_checked_in_a_servers_thread_stay_in_this_process(monkeypatch) -> None:
    """As when `mkdocs serve` rebuilds: the same results, and no fork from the thread."""
    asked: list[object] = []

    def recorded():
        asked.append(fork_context())
        return asked[-1]

    monkeypatch.setattr(loader, "fork_context", recorded)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    paths = loader.discover(REPO / "standards")
    here = loader.check_files(paths, REPO)
    there = _in_thread(lambda: loader.check_files(paths, REPO))
    assert asked[0] is not None and asked[1] is None  # forked from main, not from the thread
    assert [(c.display, c.schema, c.problems) for c in there] == [
        (c.display, c.schema, c.problems) for c in here
    ]
