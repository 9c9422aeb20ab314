"""Server-side time of every page (``AppTest.run``) at regional and national scale.

    python bench/bench_pages.py [--repeat 3] [--cold-runs 3] [--scales regional,national]

Regional: 6 forces x 10 quarters; national: 43 forces x 40 quarters (``bench/national.py``,
cached under ``bench/out/``). For each page: *cold* is a run with empty caches (what the
first viewer after an import waits for: the median of ``--cold-runs`` runs, each after a new
data version and with every ``st.cache_data`` emptied), *warm* the best of ``--repeat`` reruns
(every later viewer, and every widget change that hits the cache). Target: cold < 0.3 s
per page at national scale. The browser adds rendering time on top (charts, tables).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench import national  # noqa: E402
from dashboard import store  # noqa: E402
from dashboard.ui.pages import PAGES  # noqa: E402

TARGET = 0.3


def time_pages(db: Path, repeat: int, cold_runs: int = 3) -> dict[str, tuple[float, float]]:
    os.environ["ARMS_DB"] = str(db)
    os.environ["ARMS_NO_AUTODEMO"] = "1"
    con = store.connect(db)

    def invalidate() -> None:
        # a new data version: every cached result is a miss, as after an import; caches keyed
        # on content (a chart of an unchanged frame) are emptied too, as new data would miss
        with store.transaction(con):
            pass
        st.cache_data.clear()

    warmup = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    warmup.run()  # imports and the connection, once per process (not per page view)
    out = {}
    for spec in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
        if spec is not PAGES[0]:
            at.run()  # land on the default page, then navigate (as a user does)
            at.switch_page(f"../pages/{spec.file}")
        colds = []
        for _ in range(cold_runs):  # the median: one sample is at the mercy of the machine
            invalidate()
            t0 = time.perf_counter()
            at.run()
            colds.append(time.perf_counter() - t0)
            if at.exception:
                raise RuntimeError(f"{spec.file}: {at.exception[0].value}")
        cold = statistics.median(colds)
        warm = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        out[spec.title] = (cold, min(warm))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--scales", default="regional,national")
    args = ap.parse_args()
    os.environ.setdefault("ARMS_KEY_FILE", str(Path(tempfile.gettempdir()) / "bench-pseudonym.key"))
    os.environ.setdefault("ARMS_USER", "bench")
    scales = {
        "regional": lambda: national.cached(forces=6, quarters=10),
        "national": lambda: national.cached(forces=43, quarters=40),
    }
    results = {}
    for name in args.scales.split(","):
        db = scales[name]()
        results[name] = time_pages(db, args.repeat, args.cold_runs)
        print(f"{name}: {db.name} timed", file=sys.stderr)
    names = list(results)
    head = f"{'page':32}" + "".join(f"{n + ' cold':>16}{n + ' warm':>16}" for n in names)
    print(head)
    print("-" * len(head))
    slow = []
    for spec in PAGES:
        row = f"{spec.title:32}"
        for n in names:
            cold, warm = results[n][spec.title]
            row += f"{cold:15.3f}s{warm:15.3f}s"
            if n == "national" and cold > TARGET:
                slow.append(spec.title)
        print(row)
    if "national" in results:
        print(
            f"\ntarget: < {TARGET} s per page at national scale (cold); over: {', '.join(slow) or 'none'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
