import pytest

from dashboard import store
from tests.demo_db import built_demo, demo_copy


@pytest.fixture
def demo_con(tmp_path):
    """A private copy of the demo database (the real importer built it)."""
    con = store.connect(demo_copy(tmp_path))
    yield con
    con.close()


@pytest.fixture
def demo_reports():
    return built_demo()[1]


@pytest.fixture
def empty_con(tmp_path):
    con = store.connect(tmp_path / "empty.duckdb")
    yield con
    con.close()
