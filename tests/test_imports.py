"""Data flows one way: no module of stdhub imports, even inside a function, a module that
imports it back (imports under `if TYPE_CHECKING:` are for annotations only)."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in modules}


def test_no_import_cycles() -> None:
    modules = _modules()
    assert "stdhub.build" in modules  # the walk found the package
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as cycle:
        raise AssertionError(f"import cycle: {' -> '.join(cycle.args[1])}") from None


def test_publish_package_is_gone() -> None:
    """`publish/` was split by what it produces: opendata/, datasette/, serve.py."""
    assert not (SRC / "stdhub" / "publish").exists()


def _package(name: str) -> str:
    """`stdhub.datasets.check` -> `stdhub.datasets`; a top-level module is its own node."""
    return ".".join(name.split(".")[:2])


def test_no_package_imports_a_package_that_imports_it_back() -> None:
    """The packages (and top-level modules) of stdhub, each one node: data flows one way
    between them too, function-level imports counted (issue 27)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        node = graph.setdefault(_package(name), set())
        node.update(_package(m) for m in _imports(path, modules) if _package(m) != _package(name))
    assert {"stdhub.standards", "stdhub.feedback", "stdhub.project"} <= graph.keys()
    assert "stdhub.standards" in graph["stdhub.feedback"]  # the walk sees imports
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as cycle:
        raise AssertionError(f"package cycle: {' -> '.join(cycle.args[1])}") from None
