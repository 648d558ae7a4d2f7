"""The window's code neither builds SQL nor opens ledger connections: it calls core functions (which do) and runs
ledger writes through ui.operations. Read from the source with the ast, so a new page that slips is caught."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_MODULES = ("sqlalchemy", "core.ledger.schema")
CONNECTION_METHODS = {"read", "begin", "connect"}   # ledger.read() / ledger.begin() / engine.connect()


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if any(n == m or n.startswith(m + ".") for n in names for m in FORBIDDEN_MODULES):
                found.append(f"{name}:{node.lineno} imports {node.module}")
        elif isinstance(node, ast.Import):
            for a in node.names:
                if any(a.name == m or a.name.startswith(m + ".") for m in FORBIDDEN_MODULES):
                    found.append(f"{name}:{node.lineno} imports {a.name}")
        elif isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
                        and call.func.attr in CONNECTION_METHODS and "ledger" in ast.unparse(call.func.value):
                    found.append(f"{name}:{node.lineno} opens {ast.unparse(call)}")
    return found


def test_ui_opens_no_connection_and_builds_no_sql():
    files = sorted((ROOT / "ui").rglob("*.py"))
    assert len(files) > 20
    offences = [o for f in files for o in _offences(f)]
    assert offences == [], "move these into a core function:\n" + "\n".join(offences)


def test_the_check_sees_an_offence(tmp_path):
    bad = tmp_path / "page.py"
    bad.write_text("from sqlalchemy import select\n\ndef f(self):\n    with self.ctx.ledger.read() as conn:\n"
                   "        return conn\n", encoding="utf-8")
    assert len(_offences(bad)) == 2
