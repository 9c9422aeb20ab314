"""Browser tests: the real Streamlit app in headless Debian Chromium, driven by Playwright.

They skip on a machine without Chromium, except in CI (``CI=true``), where a skip is a
failure: CI must install Chromium (``.ci/run`` does).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


def _need_browser() -> None:
    if not Path(CHROMIUM).exists() or shutil.which("streamlit") is None:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI but {CHROMIUM} or streamlit is missing")
        pytest.skip(f"no Chromium at {CHROMIUM}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """A running Streamlit server on its own database."""

    def __init__(self, db: Path, tmp: Path):
        self.db = db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update(
            ARMS_DB=str(db),
            ARMS_KEY_FILE=str(tmp / "pseudonym.key"),
            ARMS_NO_AUTODEMO=os.environ.get("ARMS_NO_AUTODEMO", "0"),
            ARMS_USER="browser-test",
            STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        )
        self.log = open(tmp / f"streamlit-{self.port}.log", "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "dashboard" / "app.py"),
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start: see " + self.log.name)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A database with the demo loaded through the normal importer (built once per run)."""
    _need_browser()
    tmp = tmp_path_factory.mktemp("demo-db")
    db = tmp / "demo.duckdb"
    env = dict(os.environ, ARMS_KEY_FILE=str(tmp / "pseudonym.key"))
    subprocess.run(
        [sys.executable, "-m", "dashboard", "--db", str(db), "demo"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return db


@pytest.fixture(scope="session")
def demo_app(demo_db, tmp_path_factory) -> Iterator[App]:
    """The app on the demo database, shared by read-only browser tests."""
    app = App(demo_db, tmp_path_factory.mktemp("demo-app"))
    yield app
    app.stop()


@pytest.fixture
def fresh_app(tmp_path) -> Iterator[App]:
    """The app on an empty database of its own (no demo autoload): for flows that write."""
    _need_browser()
    os.environ["ARMS_NO_AUTODEMO"] = "1"
    try:
        app = App(tmp_path / "fresh.duckdb", tmp_path)
    finally:
        os.environ.pop("ARMS_NO_AUTODEMO", None)
    yield app
    app.stop()


@pytest.fixture(scope="session")
def shots_dir(tmp_path_factory) -> Path:
    """Where browser tests save their screenshots: a temporary folder, so a test run never
    changes the committed ``docs/screenshots/``; set ``ARMS_SCREENSHOTS_DIR`` to keep them
    (``bench/screenshots.py`` does, to regenerate the docs)."""
    env = os.environ.get("ARMS_SCREENSHOTS_DIR")
    path = Path(env) if env else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A 1920x1080 page (the meeting screen)."""
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    ctx.close()


def wait_for_app(page, timeout: int = 30_000) -> None:
    """Wait until the app is connected and Streamlit has finished running the script.

    Reads the state Streamlit puts on its root element (``data-test-script-state``), the
    same signal Streamlit's own end-to-end tests use, and requires the main block to have
    rendered, so a screenshot taken straight after ``goto`` is not blank.
    """
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout
    )
    page.wait_for_timeout(200)  # a rerun triggered just before may not have started yet
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )
    page.wait_for_selector("[data-testid='stMainBlockContainer'] *", timeout=timeout)
    page.wait_for_timeout(200)
