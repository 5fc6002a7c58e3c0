"""The layers stay honest: the import-linter contracts in pyproject.toml hold (core below accounts
below market below people below suggestions below cli; the domain never imports Streamlit or the
interface), pages do not query the database, and no page turns errors into messages itself."""

import ast
import subprocess
import sys
from pathlib import Path

from tests.support.app import ROOT

PAGES = sorted((ROOT / "app_pages").rglob("*.py"))


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_the_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert " 0 broken" in result.stdout


def test_domain_never_imports_streamlit():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "incubator").rglob("*.py")
        if any(name.split(".")[0] == "streamlit" for name in imported_modules(path))
    ]
    assert offenders == []


def test_pages_do_not_talk_to_duckdb_directly():
    assert len(PAGES) >= 12
    offenders = [
        str(path.relative_to(ROOT))
        for path in PAGES
        if "duckdb" in set(imported_modules(path)) or ".execute(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_no_page_turns_errors_into_messages_itself():
    # ui.errors_shown() and the router's guard are the one error path.
    offenders = []
    for path in [*PAGES, ROOT / "streamlit_app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
