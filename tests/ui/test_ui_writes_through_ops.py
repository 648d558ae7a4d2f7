"""Every ledger write the window starts goes through `LedgerOp` or `write_now` (docs/ARCHITECTURE.md), found by reading
the source: a core function that opens a write transaction (`….begin()`), or calls one that does, is a writer; ui code
may call a writer only inside the arguments of `LedgerOp(…)`/`write_now(…)`, or of a page helper that hands its
function straight to one of them (FORWARDERS, each checked to do so). Core says what it changed: each writer the
window calls returns a `Written` (`Changed[…]` / `ChangedRows[…]`, carrying its LedgerChange), and no ui code but
`ui/operations.py` and `ui/context.py` names a LedgerChange or passes one (`change=`) — a page cannot declare one."""
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


def _core_imports(tree: ast.AST, writers: set[tuple[str, str]]) -> tuple[set[str], dict[str, set[str]]]:
    """The writers this ui module imports from core by name, and its core modules (by local name) with their writers."""
    names: set[str] = set()
    modules: dict[str, set[str]] = {}
    by_module: dict[str, set[str]] = {}
    for module, name in writers:
        by_module.setdefault(module, set()).add(name)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("core"):
            for alias in node.names:
                if (node.module, alias.name) in writers:
                    names.add(alias.asname or alias.name)
                elif f"{node.module}.{alias.name}" in by_module:   # from core.ledger import settings
                    modules[alias.asname or alias.name] = by_module[f"{node.module}.{alias.name}"]
    return names, modules


def _writer_called(node: ast.Call, names: set[str], modules: dict[str, set[str]]) -> str:
    f = node.func
    if isinstance(f, ast.Name) and f.id in names:
        return f.id
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.attr in modules.get(f.value.id, ()):
        return f.attr
    return ""


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
        imported, modules = _core_imports(tree, writers)
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
            name = _writer_called(node, imported, modules) if isinstance(node, ast.Call) else ""
            if name and id(node) not in inside and (rel, name) not in OUTSIDE_THE_WINDOW:
                found.append(f"{rel}:{node.lineno} {name}")
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


# the only ui modules that handle a LedgerChange: the runner that announces a write's own, and the context that
# announces a whole other ledger (恢复备份, another file opened)
ANNOUNCERS = {"ui/operations.py", "ui/context.py"}


def _written_types(root: Path = ROOT) -> set[str]:
    """`Written` and its subclasses in core/ledger/changes.py: the shapes a core writer used by the window returns."""
    tree = ast.parse((root / "core/ledger/changes.py").read_text(encoding="utf-8"))
    names = {"Written"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id in names for b in node.bases):
            names.add(node.name)
    return names


def _core_defs(root: Path = ROOT) -> dict[tuple[str, str], ast.FunctionDef]:
    out = {}
    for path in (root / "core").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = _module_name(path, root)
        out.update({(module, node.name): node for node in tree.body if isinstance(node, ast.FunctionDef)})
    return out


def writers_called_from_ui(root: Path = ROOT) -> set[tuple[str, str]]:
    """(module, name) of every core writer some ui module calls (the wizard's and the demo's own excepted)."""
    writers = core_writers(root)
    called = set()
    for path in sorted((root / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names, modules = _core_imports(tree, writers)
        resolve = {alias.asname or alias.name: (node.module, alias.name) for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("core") for alias in node.names}
        rel = str(path.relative_to(root))
        for node in ast.walk(tree):
            name = _writer_called(node, names, modules) if isinstance(node, ast.Call) else ""
            if not name or (rel, name) in OUTSIDE_THE_WINDOW:
                continue
            f = node.func
            if isinstance(f, ast.Name):
                called.add(resolve[name])
            else:   # settings.save_settings(…): the module imported by name
                module = resolve[f.value.id]
                called.add((f"{module[0]}.{module[1]}", name))
    return called


def writers_not_saying_what_changed(root: Path = ROOT) -> list[str]:
    """`module.name -> annotation` of each core writer the window calls whose return is not a Written."""
    shapes, defs = _written_types(root), _core_defs(root)
    bad = []
    for key in sorted(writers_called_from_ui(root)):
        fn = defs[key]
        returns = fn.returns
        root_name = returns.value if isinstance(returns, ast.Subscript) else returns
        if not (isinstance(root_name, ast.Name) and root_name.id in shapes):
            bad.append(f"{key[0]}.{key[1]} -> {ast.unparse(returns) if returns else 'None'}")
    return bad


def pages_declaring_changes(root: Path = ROOT) -> list[str]:
    """`path:line what` where ui code outside ANNOUNCERS names LedgerChange, passes `change=` to LedgerOp/write_now,
    announces (`ctx.notify`) itself, or starts a job of its own (`ctx.jobs.start`) instead of LedgerOp/LedgerQuery."""
    found = []
    for path in sorted((root / "ui").rglob("*.py")):
        rel = str(path.relative_to(root))
        if rel in ANNOUNCERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "LedgerChange":
                found.append(f"{rel}:{node.lineno} LedgerChange")
            elif isinstance(node, ast.ImportFrom) and any(a.name == "LedgerChange" for a in node.names):
                found.append(f"{rel}:{node.lineno} imports LedgerChange")
            elif isinstance(node, ast.Call) and _runner_name(node) in RUNNERS | {"LedgerQuery"} \
                    and any(k.arg == "change" for k in node.keywords):
                found.append(f"{rel}:{node.lineno} {_runner_name(node)}(change=…)")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "notify":
                found.append(f"{rel}:{node.lineno} notify(…)")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "start" \
                    and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "jobs":
                found.append(f"{rel}:{node.lineno} jobs.start(…) (a read goes through LedgerQuery)")
    return found


def test_every_writer_the_window_calls_returns_its_change():
    called = {name for _module, name in writers_called_from_ui()}
    assert {"merge", "collect", "set_decision", "close_task", "confirm", "send_back", "generate",
            "save_settings", "set_unit_field"} <= called
    assert writers_not_saying_what_changed() == [], "core writers the window calls must return a Written (its change)"


def test_no_page_declares_a_change():
    assert pages_declaring_changes() == [], "the change comes from the core writer's result (docs/ARCHITECTURE.md)"
