"""Test-wide set-up: nothing a test does touches the real database or pseudonym key,
and in CI a skipped test is a failure (browser tests must run there)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("env")
    saved = {k: os.environ.get(k) for k in ("ARMS_DB", "ARMS_KEY_FILE", "ARMS_PSEUDONYM_KEY")}
    os.environ["ARMS_DB"] = str(tmp / "default.duckdb")
    os.environ["ARMS_KEY_FILE"] = str(tmp / "pseudonym.key")
    os.environ.pop("ARMS_PSEUDONYM_KEY", None)
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run every test: {report.longrepr}"
