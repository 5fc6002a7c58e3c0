"""The domain stays pure: nothing under incubator/ imports streamlit; pages do not query the database."""

import ast

from .conftest import ROOT


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_domain_never_imports_streamlit():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "incubator").rglob("*.py")
        if any(name.split(".")[0] == "streamlit" for name in imported_modules(path))
    ]
    assert offenders == []


def test_pages_do_not_talk_to_duckdb_directly():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "app_pages").glob("*.py")
        if "duckdb" in set(imported_modules(path)) or ".execute(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
