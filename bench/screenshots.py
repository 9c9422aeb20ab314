"""Regenerate docs/screenshots/*.png: every page of the app at 1920x1080 on the demo data.

    python bench/screenshots.py [--db PATH] [--out docs/screenshots] [--pages overview,heatmap]

Without --db it builds the demo database (``python -m dashboard demo``) in a temporary
directory. The upload and settings screenshots come from their browser flows
(tests/browser/test_upload_flow.py, test_settings_flow.py), run here with
``ARMS_SCREENSHOTS_DIR`` pointing at --out; a plain test run keeps its screenshots in a
temporary folder, so only this script changes docs/screenshots/. Needs Debian's Chromium at
/usr/bin/chromium (or CHROMIUM_PATH).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.ui.pages import PAGES  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, App, wait_for_app  # noqa: E402

# extra query strings that make a screenshot show the page at its best
OWN_SCREENSHOTS = {"upload", "settings"}
EXTRA = {"heatmap": "", "force": "profile=Cumbria"}


READY = """() => {
  const status = document.querySelector('[data-testid="stStatusWidget"]');
  if (status && status.innerText.includes('Running')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  if (!document.querySelector('h1')) return false;
  return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(c => c.querySelector('.main-svg'));
}"""


def settle(page, stable_ms: int = 1500) -> None:
    """Wait until the page has been fully drawn and stayed so for ``stable_ms``."""
    wait_for_app(page)
    deadline = time.time() + 90
    while time.time() < deadline:
        page.wait_for_function(READY, timeout=90_000)
        page.wait_for_timeout(stable_ms)
        if page.evaluate(READY):
            return
    raise TimeoutError("page did not settle")


# the first failing cell of the overview heatmap, and where it is on the screen
FAILING_CELL = r"""() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
      .find(g => g._fullData && g._fullData.some(t => t.name === 'cells'));
  const tr = gd._fullData.find(t => t.name === 'cells');
  let i = tr.hovertext.findIndex(h => /Average 1\.|Average 2\.[0-4]/.test(h));
  if (i < 0) i = 0;
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const r = gd.getBoundingClientRect();
  return {x: r.left + xa._offset + xa.l2p(tr.x[i]), y: r.top + ya._offset + ya.l2p(tr.y[i])};
}"""


def overview_extras(page, url: str, out: Path) -> list[Path]:
    """The meeting's two other views: a clicked cell's feedback, and presentation mode."""
    written = []
    page.evaluate("() => window.scrollTo(0, 380)")
    page.wait_for_timeout(500)
    cell = page.evaluate(FAILING_CELL)
    page.mouse.move(cell["x"], cell["y"])
    page.wait_for_timeout(300)
    page.mouse.click(cell["x"], cell["y"])
    page.get_by_role("dialog").wait_for(timeout=30_000)
    settle(page)
    target = out / "1_regional_overview_cell.png"
    page.screenshot(path=str(target))
    written.append(target)
    page.goto(f"{url}/?present=1")
    settle(page)
    target = out / "1_regional_overview_present.png"
    page.screenshot(path=str(target))
    written.append(target)
    for t in written:
        print(t)
    return written


def shoot(db: Path, out: Path, only: set[str] | None, tmp: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    app = App(db, tmp)
    written = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
            page = ctx.new_page()
            page.set_default_timeout(60_000)
            for p in PAGES:
                if only and p.url_path not in only:
                    continue
                if p.url_path in OWN_SCREENSHOTS:
                    continue  # their flows take their own screenshots (shoot_flows)
                query = EXTRA.get(p.url_path, "")
                path = "" if p is PAGES[0] else p.url_path  # the default page lives at /
                page.goto(f"{app.url}/{path}" + (f"?{query}" if query else ""))
                settle(page)
                target = out / f"{p.file.removesuffix('.py').lower()}.png"
                page.screenshot(path=str(target))
                written.append(target)
                print(target)
                if p is PAGES[0]:
                    written += overview_extras(page, app.url, out)
            browser.close()
    finally:
        app.stop()
    return written


FLOW_TESTS = {
    "upload": "tests/browser/test_upload_flow.py",
    "settings": "tests/browser/test_settings_flow.py",
}


def shoot_flows(out: Path, only: set[str] | None) -> int:
    """Run the browser flows that take their own screenshots, saving them into ``out``."""
    tests = [t for page, t in FLOW_TESTS.items() if not only or page in only]
    if not tests:
        return 0
    env = dict(os.environ, ARMS_SCREENSHOTS_DIR=str(out.resolve()))
    env.pop("ARMS_NO_AUTODEMO", None)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests]
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--pages", help="comma-separated url paths (default: all)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        db = args.db
        if db is None:
            db = tmp / "demo.duckdb"
            env = dict(os.environ, ARMS_KEY_FILE=str(tmp / "pseudonym.key"))
            subprocess.run(
                [sys.executable, "-m", "dashboard", "--db", str(db), "demo"],
                cwd=ROOT,
                env=env,
                check=True,
            )
        only = set(args.pages.split(",")) if args.pages else None
        os.environ.setdefault("ARMS_NO_AUTODEMO", "1")
        pages = {p for p in only if p not in FLOW_TESTS} if only else None
        if pages is None or pages:
            shoot(db, args.out, pages, tmp)
    return shoot_flows(args.out, only)


if __name__ == "__main__":
    sys.exit(main())
