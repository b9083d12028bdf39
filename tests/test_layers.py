"""The package's layers, read from the source: every import of every module, function-local ones
included, so a circle cannot hide behind an import placed inside a function.

    domain → store → read → writes → presentation → application → cli, web

A module imports its own layer or those to its left; the domain imports nothing of congress outside
itself; the two faces import the application, the presentation and the domain (nothing of each other)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "congress"
LAYERS = ("domain", "store", "read", "writes", "presentation", "application")
FACES = ("cli", "web")
# the domain too: its refusals and limits are what a face words for its users (pure values, no I/O)
FACES_MAY_IMPORT = {"domain", "application", "presentation"}
# `congress serve` starts the web face: the one import from a face into the other
SERVE_STARTS_THE_WEB = ("congress.cli.serve", "congress.web")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "versions" not in p.parts}


def imported(name: str, path: Path) -> set[str]:
    """The congress modules `name` imports, wherever in the file the import is."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            # `from congress.store import schema` imports the module congress.store.schema
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t.split(".")[0] == "congress" and t != name)
    return {t for t in found if t in MODULES}


GRAPH = {name: imported(name, path) for name, path in MODULES.items()}


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS + FACES else None


def test_the_graph_is_read():
    # the parser sees imports: a face imports the application, the read model imports the store
    assert "congress.store.sql" in GRAPH["congress.read.progress"]
    assert any(target.startswith("congress.presentation") for target in GRAPH["congress.web.pages"])


def test_no_import_circle():
    circles = []
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done

    def walk(name, path):
        state[name] = 1
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                circles.append(" → ".join(path[path.index(target):] + [target]))
            elif target not in state:
                walk(target, path + [target])
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            walk(name, [name])
    assert circles == []


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if layer(n) in LAYERS))
def test_no_upward_import(name):
    rank = LAYERS.index(layer(name))
    upward = sorted(t for t in GRAPH[name] if layer(t) is not None
                    and (layer(t) in FACES or LAYERS.index(layer(t)) > rank))
    assert upward == []


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if layer(n) in FACES))
def test_faces_import_application_and_presentation_only(name):
    own = layer(name)
    outside = sorted(t for t in GRAPH[name] if layer(t) != own and layer(t) not in FACES_MAY_IMPORT
                     and (name, t) != SERVE_STARTS_THE_WEB)
    assert outside == []
