"""The packages' import order, written down once: a package imports only those before it, and nothing loops.

Every import counts, also one inside a function (a lazy import is still a dependency).
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The year's work, bottom first: a core package may import itself and the packages before it.
ORDER = ["common", "office", "ledger", "units", "campaign", "forms", "returns", "tracking", "stats", "reports", "draft",
         "demo"]
FRONT_ENDS = ("ui", "cli", "app", "PySide6", "shiboken6")


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "core" and len(parts) > 1 else None


def core_files() -> list[Path]:
    return sorted((ROOT / "core").rglob("*.py"))


def order_violations(files) -> list[str]:
    bad = []
    for path in files:
        own = stage_of(module_name(path))
        seen = set()
        for line, target in imported_modules(path):
            if (line, stage_of(target)) in seen:  # "from core.x.y import z" is one import, not two
                continue
            seen.add((line, stage_of(target)))
            where = f"{path.relative_to(ROOT)}:{line}"
            if target.split(".")[0] in FRONT_ENDS:
                bad.append(f"{where} imports {target}: core never imports a front end or Qt")
                continue
            theirs = stage_of(target)
            if own is None or theirs is None or theirs not in ORDER:
                continue
            if own not in ORDER:
                bad.append(f"{where}: core/{own} is not in ORDER; add it where it belongs")
            elif ORDER.index(theirs) > ORDER.index(own):
                bad.append(f"{where}: core.{own} imports {target}, a later stage ({' → '.join(ORDER)})")
    return bad


def test_every_core_package_is_in_the_order():
    packages = {p.parent.name for p in (ROOT / "core").glob("*/__init__.py")}
    modules = {p.stem for p in (ROOT / "core").glob("*.py") if p.name != "__init__.py"}
    assert packages | modules == set(ORDER)


def test_packages_import_only_earlier_stages():
    assert order_violations(core_files()) == []


def test_order_check_catches_a_forbidden_import(tmp_path):
    """The check itself can fail: a ledger module importing a stage is reported."""
    fake = ROOT / "core" / "ledger" / "_probe_forbidden.py"
    try:
        fake.write_text("def f():\n    from core.returns.merge import merge\n", encoding="utf-8")
        found = order_violations([fake])
    finally:
        fake.unlink()
    assert len(found) == 1 and "core.ledger imports core.returns.merge" in found[0]


def import_graph(tops=("core", "cli", "ui")) -> dict[str, set[str]]:
    files = [p for top in tops for p in sorted((ROOT / top).rglob("*.py"))]
    known = {module_name(p) for p in files}
    graph: dict[str, set[str]] = {}
    for path in files:
        me = module_name(path)
        edges = graph.setdefault(me, set())
        for _line, target in imported_modules(path):
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != me and not me.startswith(target + "."):  # a package's own __init__ is no loop
                edges.add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_loops_in_core_cli_or_ui():
    assert cycles(import_graph()) == []


def test_loop_check_catches_a_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
