import pytest

from tests.analysis.builder import FixtureDB


@pytest.fixture
def db(tmp_path):
    fx = FixtureDB(tmp_path / "analysis.duckdb")
    yield fx
    fx.con.close()
