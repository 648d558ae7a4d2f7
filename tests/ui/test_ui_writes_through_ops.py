"""Every ledger write the window starts goes through `LedgerOp` or `write_now` (docs/ARCHITECTURE.md), found by reading
the source: a core function that opens a write transaction (`….begin()`), or calls one that does, is a writer; ui code
may call a writer only inside the arguments of `LedgerOp(…)`/`write_now(…)`, or of a page helper that hands its
function straight to one of them (FORWARDERS, each checked to do so)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNNERS = {"LedgerOp", "write_now"}
# page helpers taking a function and passing it on to LedgerOp/write_now: (module path, helper name)
FORWARDERS = {("ui/pages/dashboard/actions.py", "_write"), ("ui/pages/backup_page.py", "_start")}
# writes made before any window (and its job runner) exists, or with the ledger closed: (module path, writer, why)
OUTSIDE_THE_WINDOW = {
    ("ui/demo_start.py", "ensure_demo_ledger"): "builds the demo ledger file before the window opens",
    ("ui/first_run.py", "apply_import"): "the first-start wizard, before the window and its runner exist",
    ("ui/first_run.py", "apply_contacts"): "the first-start wizard, before the window and its runner exist",
    ("ui/pages/backup_page.py", "restore_backup"): "replaces the closed ledger's file after checking no job runs; "
                                                   "the window then reopens it (set_ledger announces everything)",
}


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            f = sub.func
            names.add(f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else "")
    return names - {""}


def _opens_write(fn: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "begin"
               for n in ast.walk(fn))


def _module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def _resolver(tree: ast.AST, module: str):
    """Name in this module → (module, function): its own functions and names imported from core."""
    names = {fn.name: (module, fn.name) for fn in _functions(tree)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("core"):
            names.update({alias.asname or alias.name: (node.module, alias.name) for alias in node.names})
    return names


def core_writers(root: Path = ROOT) -> set[tuple[str, str]]:
    """(module, name) of the core functions that write the ledger, directly or through another core function."""
    calls: dict[tuple[str, str], set[tuple[str, str]]] = {}
    writes: set[tuple[str, str]] = set()
    for path in (root / "core").rglob("*.py"):
        module = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        resolve = _resolver(tree, module)
        for fn in _functions(tree):
            key = (module, fn.name)
            calls.setdefault(key, set()).update(resolve[n] for n in _called_names(fn) if n in resolve)
            if _opens_write(fn) and fn.name not in ("begin", "__init__"):
                writes.add(key)
    grown = True
    while grown:
        more = {key for key, called in calls.items() if called & writes} - writes
        writes |= more
        grown = bool(more)
    return writes


def _core_imports(tree: ast.AST, writers: set[tuple[str, str]]) -> set[str]:
    """The names this ui module imports from core that are ledger writers."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("core."):
            names.update(alias.asname or alias.name for alias in node.names if (node.module, alias.name) in writers)
    return names


def _runner_name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def bypassing_writes(root: Path = ROOT) -> list[str]:
    """`path:line name` of every call of a core writer in ui/ outside LedgerOp/write_now (or a checked forwarder)."""
    writers = core_writers(root)
    allowed = RUNNERS | {name for _path, name in FORWARDERS}
    found = []
    for path in sorted((root / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _core_imports(tree, writers)
        inside: set[int] = set()
        for outer in [tree, *_functions(tree)]:
            nested = {fn.name: fn for fn in ast.iter_child_nodes(outer) if isinstance(fn, ast.FunctionDef)}
            nested.update({fn.name: fn for stmt in getattr(outer, "body", []) for fn in ast.walk(stmt)
                           if isinstance(fn, ast.FunctionDef) and fn is not outer})
            for node in ast.walk(outer):
                if isinstance(node, ast.Call) and _runner_name(node) in allowed:
                    for arg in [*node.args, *(k.value for k in node.keywords)]:
                        inside.update(id(n) for n in ast.walk(arg))
                        if isinstance(arg, ast.Name) and arg.id in nested:   # def job(work): … LedgerOp(…, job)
                            inside.update(id(n) for n in ast.walk(nested[arg.id]))
        rel = str(path.relative_to(root))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported
                    and id(node) not in inside and (rel, node.func.id) not in OUTSIDE_THE_WINDOW):
                found.append(f"{rel}:{node.lineno} {node.func.id}")
    return found


def test_core_writers_are_found():
    writers = {name for _module, name in core_writers()}
    assert {"merge", "collect", "set_decision", "close_task", "confirm", "send_back"} <= writers
    assert not {"list_submissions", "submission_detail", "dashboard_data", "write_diff_report"} & writers


def test_forwarders_hand_their_function_to_ledger_op():
    for rel, name in FORWARDERS:
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        fn = next(f for f in _functions(tree) if f.name == name)
        assert _called_names(fn) & RUNNERS, f"{rel}:{name} no longer runs its function through LedgerOp/write_now"


def test_ui_calls_core_writers_only_through_ledger_op_or_write_now():
    assert bypassing_writes() == [], "ledger writes outside LedgerOp/write_now (see docs/ARCHITECTURE.md)"
