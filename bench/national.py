"""Synthetic review databases at regional and national scale, for benchmarks.

``build(path, forces=43, quarters=40, seed=1)`` writes a database made by ``store.connect``
(same schema, the illustrative question set) and fills it with bulk SQL generated inside
DuckDB: ``forces`` x ``quarters`` x 4 cases (one per risk level) x every question of the
active set (43 x 40 x 4 x 33 = 227,040 answers). Grades are drawn from a deterministic
hash of (seed, review, question), with per force-and-question weaknesses so that streaks,
training needs and themes exist; about 3% N/A and 1% ungraded.

``cached(...)`` keeps the result under ``bench/out/`` (ignored by git) and reuses it.

    python bench/national.py            # build (or reuse) both, print their sizes
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard import store  # noqa: E402
from dashboard.vocab import (  # noqa: E402
    GOOD,
    INADEQUATE,
    NA,
    OUTSTANDING,
    REQUIRES_IMPROVEMENT,
    RISK_LEVELS,
    Quarter,
    default_forces,
)

OUT = ROOT / "bench" / "out"
FIRST_QUARTER = Quarter(2016, 1)  # 40 quarters end in 2025/26 Q4

FAILING_FEEDBACK = [
    "Actions are not specific, owned or dated.",
    "Actions from the home visit were not recorded on ViSOR.",
    "No evidence of supervisor oversight or sign-off.",
    "The assessment was completed late, outside the required timescale.",
    "Protective factors are listed but not evidenced.",
    "The formulation does not explain the risk level or the RM2000 rationale.",
    "Partner agencies and children's services were not consulted.",
    "Sexual preoccupation is named but the evidence is thin.",
]
PASSING_FEEDBACK = [
    "Clear, SMART actions with an owner and a deadline.",
    "Effective use of information from partner agencies and the home visit.",
    "Supervisor oversight evident and signed off on time.",
    "Well evidenced protective factors: positive routine and social investment.",
    "Formulation is clear and consistent with the risk of serious harm.",
    "Risk management plan covers supervision, monitoring and victim safety.",
    "",
]


def _force_names(n: int) -> list[str]:
    region = list(default_forces().names)
    return (region + [f"Force {i:02d}" for i in range(len(region) + 1, n + 1)])[:n]


_REVIEWS_SQL = """
INSERT INTO reviews (review_id, import_id, active, quarter, quarter_idx, quarter_start, force,
                     reviewing_force, risk_level, case_id, officer, reviewer,
                     question_set_version, sheet, source_ref)
SELECT row_number() OVER (ORDER BY q.qi, f.fi, c.ci) AS review_id, 1, TRUE,
       q.label, q.idx, q.start, f.name, rf.name, c.risk, 'case-' || md5(concat_ws('/', $seed, f.fi, q.qi, c.ci))[:12],
       'Officer ' || f.fi || '-' || (hash($seed, f.fi, q.qi, c.ci) % 6), 'Reviewer ' || rf.fi,
       $version, f.name, 'column ' || (c.ci + 1)
FROM bench_quarters q, bench_forces f, bench_cases c, bench_forces rf
WHERE rf.fi = (f.fi + 1 + q.qi % ($forces - 1)) % $forces
"""

# weakness w in [0, 1) per force and question; a slow drift over quarters per force
_ANSWERS_SQL = """
INSERT INTO answers (review_id, question_id, grade, grade_score, grade_source, feedback,
                     match_confidence, cell)
WITH draws AS (
    SELECT r.review_id, qs.question_id, qs.ordinal,
           (hash($seed, r.review_id, qs.question_id) % 1000000) / 1e6 AS u,
           (hash($seed, 'na', r.review_id, qs.question_id) % 1000) / 1e3 AS u_na,
           (hash($seed, 'w', r.force, qs.question_id) % 1000) / 1e3 AS w,
           CAST(hash($seed, 'fb', r.review_id, qs.question_id) % 1000 AS BIGINT) AS k,
           sin(r.quarter_idx / 3.0 + (hash($seed, 'd', r.force) % 7)) * 0.08 AS drift
    FROM reviews r
    JOIN questions qs ON qs.version = r.question_set_version
),
graded AS (
    SELECT *, 0.06 + 0.6 * w * w * w + drift AS p_fail FROM draws
)
SELECT review_id, question_id, g.grade, g.score,
       CASE WHEN g.grade IS NULL THEN NULL WHEN k % 3 = 0 THEN 'colour' ELSE 'text' END,
       CASE WHEN g.score IS NULL THEN NULL
            WHEN g.score <= 2 THEN $failing[1 + k % len($failing)]
            ELSE $passing[1 + k % len($passing)] END,
       1.0, 'E' || (10 + ordinal)
FROM graded
JOIN bench_grades g ON g.band = CASE
    WHEN u_na < 0.01 THEN 0
    WHEN u_na < 0.04 THEN 1
    WHEN u < p_fail * 0.35 THEN 2
    WHEN u < p_fail THEN 3
    WHEN u < 0.88 THEN 4
    ELSE 5 END
"""


def build(path: Path, forces: int = 43, quarters: int = 40, seed: int = 1) -> Path:
    """Write a fresh synthetic database at ``path`` (replacing any) and return the path."""
    path = Path(path)
    for p in (path, path.with_name(path.name + ".wal")):
        if p.exists():
            p.unlink()
    con = store.connect(path)
    cur = con.cursor()
    names = _force_names(forces)
    version = cur.execute("SELECT version FROM question_sets WHERE active").fetchone()[0]
    qs = [Quarter.from_index(FIRST_QUARTER.index + i) for i in range(quarters)]
    cur.execute("BEGIN")
    cur.execute("CREATE TEMP TABLE bench_forces (fi INTEGER, name VARCHAR)")
    cur.executemany("INSERT INTO bench_forces VALUES (?, ?)", list(enumerate(names)))
    cur.execute(
        "CREATE TEMP TABLE bench_quarters (qi INTEGER, idx INTEGER, label VARCHAR, start DATE)"
    )
    cur.executemany(
        "INSERT INTO bench_quarters VALUES (?, ?, ?, ?)",
        [(i, q.index, q.label, q.start) for i, q in enumerate(qs)],
    )
    cur.execute("CREATE TEMP TABLE bench_cases (ci INTEGER, risk VARCHAR)")
    cur.executemany("INSERT INTO bench_cases VALUES (?, ?)", list(enumerate(RISK_LEVELS)))
    cur.execute("CREATE TEMP TABLE bench_grades (band INTEGER, grade VARCHAR, score DOUBLE)")
    cur.executemany(
        "INSERT INTO bench_grades VALUES (?, ?, ?)",
        [
            (0, None, None),
            (1, NA, None),
            (2, INADEQUATE.name, INADEQUATE.score),
            (3, REQUIRES_IMPROVEMENT.name, REQUIRES_IMPROVEMENT.score),
            (4, GOOD.name, GOOD.score),
            (5, OUTSTANDING.name, OUTSTANDING.score),
        ],
    )
    # every force in the forces table, so the region order is defined
    cur.execute("DELETE FROM forces")
    cur.executemany(
        "INSERT INTO forces VALUES (?, ?, '')", [(n, default_forces().full_name(n)) for n in names]
    )
    cur.execute(
        "INSERT INTO imports (import_id, file_name, sha256, imported_by, imported_at, status,"
        " quarter, reviews, answers) VALUES (1, ?, ?, 'bench', ?, 'imported', NULL, 0, 0)",
        [f"bench-{forces}x{quarters}-s{seed}", f"bench{seed}", store.now()],
    )
    cur.execute(_REVIEWS_SQL, {"seed": seed, "forces": forces, "version": version})
    cur.execute(
        _ANSWERS_SQL,
        {"seed": seed, "failing": FAILING_FEEDBACK, "passing": PASSING_FEEDBACK},
    )
    store.refresh_facts(cur)
    cur.execute(
        "UPDATE imports SET reviews = (SELECT count(*) FROM reviews),"
        " answers = (SELECT count(*) FROM answers) WHERE import_id = 1"
    )
    cur.execute(
        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'"
    )
    cur.execute("COMMIT")
    cur.execute("CHECKPOINT")
    con.close()
    return path


def cached(forces: int = 43, quarters: int = 40, seed: int = 1, rebuild: bool = False) -> Path:
    """The database for these parameters under ``bench/out/``, built on first use."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"national_{forces}x{quarters}_s{seed}.duckdb"
    if rebuild or not path.exists():
        build(path, forces=forces, quarters=quarters, seed=seed)
    return path


def national(rebuild: bool = False) -> Path:
    return cached(43, 40, 1, rebuild)


def regional(rebuild: bool = False) -> Path:
    return cached(6, 10, 1, rebuild)


def main() -> None:
    for name, fn in (("regional", regional), ("national", national)):
        t = time.perf_counter()
        path = fn(rebuild="--rebuild" in sys.argv)
        secs = time.perf_counter() - t
        con = store.connect(path, read_only=True)
        reviews, answers = con.execute(
            "SELECT (SELECT count(*) FROM reviews), (SELECT count(*) FROM answers)"
        ).fetchone()
        con.close()
        print(f"{name:9s} {path}  {reviews:,} reviews  {answers:,} answers  ({secs:.1f} s)")


if __name__ == "__main__":
    main()
