"""The measures every analysis shares, as SQL fragments over ``answer_facts``.

Grades are compared by their score (from ``dashboard.vocab``), so no grade word is spelt
here and N/A (a grade without a score) and ungraded answers drop out of every
denominator by themselves: ``count(grade_score)`` is the number of graded answers.

The fragments are built once from code constants, never from user input; every value a
user chooses is bound as a parameter by ``Filters.where()``.
"""

from __future__ import annotations

import pandas as pd

from dashboard.settings import Settings
from dashboard.vocab import (
    ADEQUATE,
    FAILING_GRADES,
    GOOD,
    GOOD_OR_BETTER,
    INADEQUATE,
    OUTSTANDING,
    REQUIRES_IMPROVEMENT,
    grade_by_name,
    grade_for_score,
)

# the worst score that is not a failure and the lowest that is good or better
FAIL_MAX_SCORE = float(max(grade_by_name(g).score for g in FAILING_GRADES))
GOOD_MIN_SCORE = float(min(grade_by_name(g).score for g in GOOD_OR_BETTER))
# float slack so that exactly ``fail_share`` counts as failing (7/10 >= 0.7)
EPS = 1e-9

IS_FAILING = f"(grade_score <= {FAIL_MAX_SCORE})"
IS_GOOD = f"(grade_score >= {GOOD_MIN_SCORE})"

N_GRADED = "count(grade_score)"
N_FAILING = f"count(*) FILTER (WHERE {IS_FAILING})"
N_GOOD = f"count(*) FILTER (WHERE {IS_GOOD})"
N_NA = "(count(grade) - count(grade_score))"  # a grade word without a score: N/A
N_UNGRADED = "(count(*) - count(grade))"
AVG_SCORE = "avg(grade_score)"
SHARE_FAILING = f"({N_FAILING} / nullif({N_GRADED}, 0))"
SHARE_GOOD = f"({N_GOOD} / nullif({N_GRADED}, 0))"

# one column per grade, for a cell's breakdown
GRADE_COUNTS = ",\n       ".join(
    f"count(*) FILTER (WHERE grade_score = {float(g.score)}) AS n_{col}"
    for g, col in (
        (OUTSTANDING, "outstanding"),
        (GOOD, "good"),
        (ADEQUATE, "adequate"),
        (REQUIRES_IMPROVEMENT, "ri"),
        (INADEQUATE, "inadequate"),
    )
)

STANDARD = f"""{N_GRADED} AS n,
       {AVG_SCORE} AS avg_score,
       {SHARE_FAILING} AS share_failing,
       {SHARE_GOOD} AS share_good"""


def fails_condition(n_failing: str, n_graded: str) -> str:
    """SQL: the failures reach ``fail_share`` (the share is the first ``?`` parameter)."""
    return f"({n_graded} > 0 AND {n_failing} >= ? * {n_graded} - {EPS})"


def run(cur, sql: str, params: list | None = None) -> pd.DataFrame:
    """Execute and return a DataFrame (columns even when there are no rows)."""
    return cur.execute(sql, params or []).df()


def grade_words(scores: pd.Series, settings: Settings | None = None) -> pd.Series:
    """The canonical grade word nearest each average score (for colour); None where no score."""
    five = bool(settings.five_grades) if settings is not None else False
    uniq = {s: grade_for_score(s, five).name for s in scores.dropna().unique()}
    return scores.map(uniq).astype(object).where(scores.notna(), None)


def settings_or_default(settings: Settings | None) -> Settings:
    return settings if settings is not None else Settings()


# One label per question id: the active set's wording, else the newest set that has it.
QUESTION_LABELS = """
question_labels AS (
    SELECT q.question_id,
           arg_max(q.text, CASE WHEN s.active THEN 1000000 ELSE 0 END + q.version) AS question,
           arg_max(q.section, CASE WHEN s.active THEN 1000000 ELSE 0 END + q.version) AS section,
           arg_max(q.section_no, CASE WHEN s.active THEN 1000000 ELSE 0 END + q.version)
               AS section_no,
           arg_max(q.ordinal, CASE WHEN s.active THEN 1000000 ELSE 0 END + q.version) AS ordinal
    FROM questions q JOIN question_sets s ON s.version = q.version
    GROUP BY q.question_id
)"""

# The region's order of forces (the forces table), others after it by name.
FORCE_ORDER = """
force_order AS (SELECT force, rowid AS force_pos FROM forces)"""
