"""chalicelib's layers import one way: no module imports a layer above its own, and no circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "chalicelib"
# A layer may import its own modules and the layers listed for it.
MAY_IMPORT = {
    "domain": set(),
    "language": {"domain"},
    "adapters": {"domain"},
    "service": {"domain", "language", "adapters"},
    "web": {"domain", "language", "adapters", "service"},
}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("chalicelib.")}


def layer(module: str) -> str:
    return module.split(".")[1]


def internal(module: str, known: dict[str, Path]) -> set[str]:
    return {name for name in imports(known[module]) if name in known}


@pytest.mark.parametrize("module", sorted(name for name in modules() if name.count(".") >= 2))
def test_imports_point_down(module: str) -> None:
    known = modules()
    allowed = MAY_IMPORT[layer(module)] | {layer(module)}
    upward = sorted(name for name in internal(module, known) if layer(name) not in allowed)
    assert upward == [], f"{module} imports above its layer"


def test_every_module_belongs_to_a_layer() -> None:
    assert {layer(name) for name in modules() if name != "chalicelib"} == set(MAY_IMPORT)


def test_no_import_circle() -> None:
    known = modules()
    graph = {module: internal(module, known) for module in known}
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, " -> ".join([*visiting[visiting.index(module) :], module])
        visiting.append(module)
        for target in graph[module]:
            visit(target)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
