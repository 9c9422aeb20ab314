"""Time every analysis function at regional (6 forces x 10 quarters) and national
(43 x 40, ~227k answers) scale, and the total each page asks for.

    python bench/bench_analysis.py [--runs 5] [--national-only]

Each figure is the median of ``--runs`` runs on a fresh cursor (after one warm-up run),
without the app's cache: what a page pays when the data has just changed. The target is
under 0.3 s per page in total at national scale. Wall-clock time suffers when other work
shares the machine, so the CPU time of the process (all DuckDB threads) is printed too:
on an idle machine with N cores the wall time lies between CPU / N and CPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis import (  # noqa: E402
    feedback,
    force_profile,
    good_practice,
    matrix,
    overview,
    repeat_failures,
    training_needs,
    trends,
)
from analysis.filters import Filters  # noqa: E402
from bench import national as nat  # noqa: E402
from dashboard import store  # noqa: E402
from dashboard.settings import load_settings  # noqa: E402
from dashboard.vocab import OUTSTANDING  # noqa: E402

TARGET_PER_PAGE = 0.3


def calls(cur, settings) -> list[tuple[str, str, object]]:
    """(page, label, thunk) for what each page calls on first load."""
    qs = overview.quarters(cur)
    last = int(qs.quarter_idx.iloc[-1])
    latest = Filters(quarter_from=last, quarter_to=last)
    force = overview.dimension_values(cur)["forces"][0]
    one = Filters(forces=(force,))
    themes = settings.themes
    return [
        ("Regional overview", "quarters", lambda: overview.quarters(cur)),
        ("Regional overview", "dimension_values", lambda: overview.dimension_values(cur)),
        (
            "Regional overview",
            "meeting: headline + repeat_failures (to quarter)",
            lambda: overview.meeting(cur, Filters(quarter_to=last), settings),
        ),
        (
            "Regional overview",
            "grade_matrix question x force (quarter)",
            lambda: matrix.grade_matrix(cur, latest, "question", "force", settings),
        ),
        (
            "Regional overview",
            "good_practice (quarter)",
            lambda: good_practice.good_practice(cur, latest),
        ),
        (
            "Heatmap explorer",
            "grade_matrix question x force (all)",
            lambda: matrix.grade_matrix(cur, Filters(), "question", "force", settings),
        ),
        (
            "Heatmap explorer",
            "grade_matrix section x quarter",
            lambda: matrix.grade_matrix(cur, Filters(), "section", "quarter", settings),
        ),
        (
            "Heatmap explorer",
            "cell_answers",
            lambda: matrix.cell_answers(cur, Filters(), "question", "6.4", "force", force),
        ),
        (
            "Trends and repeat failures",
            "quarter_trend by force",
            lambda: trends.quarter_trend(cur, Filters(), "force"),
        ),
        (
            "Trends and repeat failures",
            "quarter_trend by question",
            lambda: trends.quarter_trend(cur, Filters(), "question"),
        ),
        (
            "Trends and repeat failures",
            "repeat_failures",
            lambda: repeat_failures.repeat_failures(cur, Filters(), settings),
        ),
        (
            "Trends and repeat failures",
            "improving_declining",
            lambda: trends.improving_declining(cur, Filters(), settings),
        ),
        (
            "Feedback explorer",
            "search_feedback 'actions \"not recorded\"' (limit 500)",
            lambda: feedback.search_feedback(cur, Filters(), 'actions "not recorded"', limit=500),
        ),
        (
            "Feedback explorer",
            "search_feedback theme (limit 500)",
            lambda: feedback.search_feedback(
                cur, Filters(), themes=("Actions",), theme_keywords=themes, limit=500
            ),
        ),
        (
            "Feedback explorer",
            "theme_counts",
            lambda: feedback.theme_counts(cur, Filters(), themes),
        ),
        (
            "Training needs",
            "force_training_needs",
            lambda: training_needs.force_training_needs(cur, Filters(), settings),
        ),
        (
            "Training needs",
            "officer_training_needs (all forces)",
            lambda: training_needs.officer_training_needs(cur, Filters(), settings),
        ),
        (
            "Training needs",
            "suggested_topics",
            lambda: training_needs.suggested_topics(cur, Filters(), settings),
        ),
        ("Training needs", "interventions", lambda: training_needs.interventions(cur)),
        (
            "Training needs",
            "intervention_effect",
            lambda: training_needs.intervention_effect(cur, settings),
        ),
        (
            "Good practice",
            "good_practice (all)",
            lambda: good_practice.good_practice(cur, Filters(), (OUTSTANDING.name,)),
        ),
        (
            "Force profile",
            "force_vs_region",
            lambda: force_profile.force_vs_region(cur, Filters(), force),
        ),
        (
            "Force profile",
            "officer_summary",
            lambda: force_profile.officer_summary(cur, Filters(), force, settings),
        ),
        ("Force profile", "quarter_trend (force)", lambda: trends.quarter_trend(cur, one)),
        (
            "Force profile",
            "repeat_failures (force)",
            lambda: repeat_failures.repeat_failures(cur, one, settings),
        ),
    ]


def median_time(fn, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``runs`` calls."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def bench(path: Path, runs: int) -> dict[tuple[str, str], tuple[float, float]]:
    with_interventions(path)
    con = store.connect(path, read_only=True)
    settings = load_settings(con)
    out = {}
    for page, label, fn in calls(con.cursor(), settings):
        out[(page, label)] = median_time(fn, runs)
    con.close()
    return out


def with_interventions(path: Path) -> None:
    """A few interventions, so intervention_effect has something to compare."""
    import duckdb

    from dashboard.interventions import add_intervention

    try:
        con = store.connect(path)
    except duckdb.IOException:  # another process has it open: measure without them
        return
    if not con.execute("SELECT count(*) FROM interventions").fetchone()[0]:
        forces = [
            r[0] for r in con.execute("SELECT DISTINCT force FROM reviews LIMIT 5").fetchall()
        ]
        day = con.execute("SELECT max(quarter_start) - INTERVAL 1 YEAR FROM reviews").fetchone()[0]
        for f in forces:
            add_intervention(con, f, "Action writing CPD", day, "bench", question_id="6.4")
            add_intervention(
                con, f, "Mentoring", day, "bench", officer=f"Officer {forces.index(f)}-1"
            )
    con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--national-only", action="store_true")
    args = ap.parse_args()
    scales = [("national", nat.national())]
    if not args.national_only:
        scales.insert(0, ("regional", nat.regional()))
    results = {name: bench(path, args.runs) for name, path in scales}
    names = [n for n, _ in scales]
    keys = list(results[names[0]])
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"median of {args.runs} runs, wall ms (cpu ms)"
    )
    print(f"{'page / function':58s}" + "".join(f"{n:>20s}" for n in names))
    page = None
    totals: dict[str, dict[str, list[float]]] = {n: {} for n in names}
    for p, label in keys:
        if p != page:
            print(p)
            page = p
        row = "".join(_cell(results[n][(p, label)]) for n in names)
        print(f"  {label:56s}{row}")
        for n in names:
            t = totals[n].setdefault(p, [0.0, 0.0])
            t[0] += results[n][(p, label)][0]
            t[1] += results[n][(p, label)][1]
    print("\nper page, total (first load, no cache)")
    for p in totals[names[0]]:
        row = "".join(_cell(totals[n][p]) for n in names)
        flag = "" if totals[names[-1]][p][0] < TARGET_PER_PAGE else "   over 0.3 s (wall)"
        print(f"  {p:56s}{row}{flag}")


def _cell(t) -> str:
    return f"{t[0] * 1000:11.1f} ({t[1] * 1000:6.1f})"


if __name__ == "__main__":
    main()
