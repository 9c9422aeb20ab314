"""Pages are thin: no SQL, no database access, no HTML from data."""

from __future__ import annotations

import ast
from pathlib import Path

from dashboard.ui.pages import PAGES, PAGES_DIR

UI_DIR = Path(__file__).resolve().parents[2] / "dashboard" / "ui"
MY_PAGES = [p.path for p in PAGES if p.needs_data]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_every_listed_page_exists_and_every_page_file_is_listed():
    assert all(p.path.exists() for p in PAGES)
    listed = {p.file for p in PAGES}
    assert {f.name for f in PAGES_DIR.glob("*.py")} <= listed


def test_pages_hold_no_sql_and_no_database_access():
    for path in MY_PAGES:
        text = path.read_text()
        assert "duckdb" not in _imports(path), path.name
        assert ".execute(" not in text and "SELECT " not in text.upper().replace("SELECTBOX", ""), (
            path.name
        )


def test_no_page_or_widget_renders_html_from_data():
    for path in [*MY_PAGES, *UI_DIR.glob("*.py")]:
        text = path.read_text()
        assert "unsafe_allow_html" not in text, path.name
        # st.html only with the module's own constant CSS / badge markup
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "html":
                arg = node.args[0]
                assert isinstance(arg, (ast.Name, ast.Constant)), f"{path.name}:{node.lineno}"
