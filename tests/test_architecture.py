"""The shape of the house, read from the source (AST): interfaces reach the engine only through its facade,
no import runs in a circle, durable_rules is imported in exactly one module, the engine never prints, and
no module of engine/ or cli/ grows past 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from engine.workspace import INTERFACE_MODULES

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("engine", "cli")
INTERFACES = ("cli", "web")
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(*packages: str) -> dict[str, Path]:
    return {module_name(path): path for package in packages if (ROOT / package).is_dir()
            for path in sorted((ROOT / package).rglob("*.py"))}


def imports(path: Path) -> list[tuple[str, int]]:
    """Every module `path` imports (absolute names; `from X import Y` gives X and X.Y), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.append((base, node.lineno))
            found += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return found


def engine_imports(path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """The engine modules `path` imports (a `from engine import codes` names the module engine.codes)."""
    return [(name, line) for name, line in imports(path)
            if (name == "engine" or name.startswith("engine.")) and name in known]


def test_interfaces_import_only_the_facade_and_the_types_it_names() -> None:
    known = modules("engine")
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {name}"
             for path in modules(*INTERFACES).values()
             for name, line in engine_imports(path, known)
             if name != "engine" and name not in INTERFACE_MODULES]
    assert wrong == [], "an interface reaches past engine.workspace:\n" + "\n".join(wrong)


def test_the_contract_test_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The check above is not vacuous: an import of an engine internal is caught."""
    sample = tmp_path / "sample.py"
    sample.write_text("from engine.evaluation.evaluator import Evaluator\nfrom engine import codes\n", encoding="utf-8")
    names = [name for name, _line in engine_imports(sample, modules("engine"))]
    assert "engine.evaluation.evaluator" in names and "engine.codes" in names
    assert "engine.evaluation.evaluator" not in INTERFACE_MODULES


def test_no_import_cycle() -> None:
    known = modules(*PACKAGES)
    graph: nx.DiGraph[str] = nx.DiGraph()
    for name, path in known.items():
        graph.add_node(name)
        for target, _line in imports(path):
            while target and target not in known:  # `from engine.x import Name` -> engine.x
                target = target.rpartition(".")[0]
            # a package's __init__ importing its own submodules is not a cycle of concepts
            if target and target != name and not (name and target.startswith(name + ".")):
                graph.add_edge(name, target)
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], f"import cycles: {cycles}"


def test_durable_rules_is_imported_in_exactly_one_module() -> None:
    users = sorted({name for name, path in modules(*PACKAGES).items()
                    for target, _line in imports(path) if target.split(".")[0] in ("durable", "durable_rules_engine")})
    assert users == ["engine.rules.durable_backend"]


def test_the_engine_never_prints() -> None:
    found = []
    for path in modules("engine").values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_modules_stay_under_400_lines() -> None:
    long = {str(path.relative_to(ROOT)): n for path in modules(*PACKAGES).values()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
