"""Page tests: the real app script (``dashboard/app.py`` and its navigation) under
``streamlit.testing.v1.AppTest``, on databases built once per session.

- ``fixture_db``: SQL inserts with known numbers (``fixture_db.py``), labelled as demo;
- ``demo_db``: the bundled demo, generated and imported through the real importer;
- ``empty_db``: a fresh database (schema and question set only).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.pages import PAGES, PageSpec
from tests.pages import fixture_db as fx

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"


@pytest.fixture(autouse=True)
def _restore_app_environment():
    """``open_app`` points the app at a database through the environment: undo it after."""
    keys = ("ARMS_DB", "ARMS_NO_AUTODEMO", "ARMS_USER")
    saved = {k: os.environ.get(k) for k in keys}
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pages-fixture") / "fixture.duckdb"
    fx.build(path, demo=True).close()
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    from dashboard import store
    from dashboard.demo import load_demo

    path = tmp_path_factory.mktemp("pages-demo") / "demo.duckdb"
    con = store.connect(path)
    load_demo(con)
    con.close()
    return path


@pytest.fixture
def empty_db(tmp_path) -> Path:
    from dashboard import store

    path = tmp_path / "empty.duckdb"
    store.connect(path).close()
    return path


def open_app(
    db: Path,
    page: PageSpec | str | None = None,
    query: dict | None = None,
    state: dict | None = None,
    timeout: float = 60,
) -> AppTest:
    """Run the app on ``db`` and (optionally) switch to ``page``; returns the AppTest after the run."""
    os.environ["ARMS_DB"] = str(db)
    os.environ["ARMS_NO_AUTODEMO"] = "1"
    os.environ["ARMS_USER"] = "page-test"
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.run()
    if page is not None:
        spec = page if isinstance(page, PageSpec) else next(p for p in PAGES if p.url_path == page)
        if spec is not PAGES[0]:
            at.switch_page(f"../pages/{spec.file}")
            at.run()
    return at


def texts(at: AppTest) -> list[str]:
    """Every piece of text the page shows (markdown, captions, text, info boxes, metrics)."""
    out = []
    for kind in (
        "markdown",
        "caption",
        "text",
        "info",
        "success",
        "error",
        "warning",
        "title",
        "subheader",
        "header",
    ):
        out += [str(e.value) for e in at.get(kind)]
    return out
