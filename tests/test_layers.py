"""Layer rules (architecture.md): analysis, the importer and the exports never import
Streamlit, so they run in the command line, tests and benchmarks without an app."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NO_STREAMLIT = ["analysis", "dashboard/importer", "dashboard/exports"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            if node.args and isinstance(node.args[0], ast.Constant):
                names.add(str(node.args[0].value))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant):
                names.add(str(node.args[0].value))
    return names


def test_the_checker_sees_every_kind_of_import(tmp_path):
    f = tmp_path / "m.py"
    f.write_text(
        "import os\nfrom streamlit import cache_data\nimport importlib\n"
        "def g():\n    import streamlit.components.v1 as c\n"
        "x = __import__('streamlit')\ny = importlib.import_module('streamlit')\n"
    )
    assert {"streamlit", "streamlit.components.v1"} <= _imports(f)


def test_analysis_importer_and_exports_never_import_streamlit():
    checked, offenders = 0, []
    for folder in NO_STREAMLIT:
        for path in sorted((ROOT / folder).rglob("*.py")):
            checked += 1
            bad = [n for n in _imports(path) if n == "streamlit" or n.startswith("streamlit.")]
            if bad:
                offenders.append(f"{path.relative_to(ROOT)}: {', '.join(sorted(bad))}")
    assert checked >= 5  # the folders exist and were read
    assert offenders == []
