"""A test run leaves the git tree clean: browser tests save screenshots to a temporary
folder (or ``ARMS_SCREENSHOTS_DIR``), never into the committed docs/screenshots/."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_test_writes_into_docs():
    writers = [
        p.relative_to(ROOT)
        for p in (ROOT / "tests").rglob("*.py")
        if re.search(r"/\s*[\"']docs[\"']", p.read_text(encoding="utf-8"))
    ]
    assert not writers


def test_browser_screenshots_go_where_the_environment_says():
    text = (ROOT / "tests" / "browser" / "conftest.py").read_text(encoding="utf-8")
    assert 'os.environ.get("ARMS_SCREENSHOTS_DIR")' in text
    assert 'tmp_path_factory.mktemp("screenshots")' in text
