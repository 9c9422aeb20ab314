"""Failing quarters and repeat failures (contract.md definitions).

A force *fails a question in a quarter* when failures / graded answers >= ``fail_share``
(N/A and ungraded answers are not in the denominator; a quarter with no graded answer to
that question is not a quarter with data for it). A *repeat failure* is a run of at least
``min_streak`` failing quarters that are consecutive among the quarters *with data* for
that force and question: a quarter without data does not break a streak, a quarter that
does not fail does. A streak is ``current`` when it ends at that force's latest quarter
with data for that question (within the filters).

The streaks are computed in SQL (gaps and islands with window functions).
"""

from __future__ import annotations

import pandas as pd

from analysis.filters import Filters
from analysis.measures import (
    FORCE_ORDER,
    N_FAILING,
    N_GRADED,
    QUESTION_LABELS,
    fails_condition,
    run,
    settings_or_default,
)
from dashboard.settings import Settings

# force x question x quarter with data; params: filter params, fail_share
FAILING_QUARTERS_CTE = f"""
by_quarter AS (
    SELECT force, question_id, quarter_idx, any_value(quarter) AS quarter,
           {N_GRADED} AS n_graded, {N_FAILING} AS n_failing
    FROM answer_facts
    WHERE {{where}}
    GROUP BY force, question_id, quarter_idx
    HAVING {N_GRADED} > 0
),
failing_quarters AS (
    SELECT *, {fails_condition("n_failing", "n_graded")} AS fails
    FROM by_quarter
)"""

FAILING_QUARTERS_SQL = f"""
WITH {FAILING_QUARTERS_CTE}
SELECT force, question_id, quarter_idx, quarter, n_graded, n_failing, fails
FROM failing_quarters
ORDER BY force, question_id, quarter_idx
"""


def failing_quarters(cur, filters: Filters, settings: Settings | None = None) -> pd.DataFrame:
    """One row per force, question and quarter with data: n_graded, n_failing, fails."""
    settings = settings_or_default(settings)
    where, params = filters.where()
    return run(cur, FAILING_QUARTERS_SQL.format(where=where), [*params, settings.fail_share])


# rn: position among the quarters with data for that force and question; island: how
# many of them so far did not fail, so a run of consecutive failing quarters shares one
# island (gaps and islands in one ordered window)
NUMBERED_CTE = f"""
{FAILING_QUARTERS_CTE},
numbered AS (
    SELECT *,
           row_number() OVER w AS rn,
           count(*) FILTER (WHERE NOT fails) OVER w AS island,
           count(*) OVER (PARTITION BY force, question_id) AS quarters_with_data
    FROM failing_quarters
    WINDOW w AS (PARTITION BY force, question_id ORDER BY quarter_idx
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)"""

# params: filter params, fail_share, min_streak
STREAKS_CTE = f"""
{NUMBERED_CTE},
streaks AS (
    SELECT force, question_id, island,
           count(*) AS streak,
           list(quarter ORDER BY quarter_idx) AS quarters,
           min(quarter_idx) AS first_idx,
           max(quarter_idx) AS last_idx,
           arg_min(quarter, quarter_idx) AS first_quarter,
           arg_max(quarter, quarter_idx) AS last_quarter,
           max(rn) = any_value(quarters_with_data) AS current,
           CAST(sum(n_failing) AS BIGINT) AS n_failing,
           CAST(sum(n_graded) AS BIGINT) AS n_graded
    FROM numbered
    WHERE fails
    GROUP BY force, question_id, island
    HAVING count(*) >= ?
)"""

REPEAT_FAILURES_SQL = f"""
WITH {STREAKS_CTE},
{QUESTION_LABELS},
{FORCE_ORDER}
SELECT s.force, s.question_id, l.section, l.question, s.quarters, s.streak, s.current,
       s.first_quarter, s.last_quarter, s.first_idx AS first_quarter_idx,
       s.last_idx AS last_quarter_idx, s.n_failing, s.n_graded, l.section_no, l.ordinal
FROM streaks s
LEFT JOIN question_labels l USING (question_id)
LEFT JOIN force_order o USING (force)
ORDER BY s.current DESC, s.streak DESC, s.last_idx DESC, o.force_pos NULLS LAST, s.force,
         l.section_no, l.ordinal, s.question_id
"""


def repeat_failures(cur, filters: Filters, settings: Settings | None = None) -> pd.DataFrame:
    """Streaks of >= ``min_streak`` failing quarters per force and question.

    Columns: force, question_id, section, question, quarters (labels of the streak),
    streak, current, first_quarter, last_quarter (+ their indexes, n_failing, n_graded).
    A force and question can have several streaks (one ended, a later one current).
    Sorted current first, then the longest and most recent.
    """
    settings = settings_or_default(settings)
    where, params = filters.where()
    df = run(
        cur,
        REPEAT_FAILURES_SQL.format(where=where),
        [*params, settings.fail_share, settings.min_streak],
    )
    df["current"] = df["current"].astype(bool)
    return df


# params: filter params, fail_share, min_streak
OPEN_COUNT_SQL = f"""
WITH {NUMBERED_CTE},
trailing_streaks AS (
    SELECT max(rn) - coalesce(max(rn) FILTER (WHERE NOT fails), 0) AS current_streak
    FROM numbered
    GROUP BY force, question_id
)
SELECT count(*) FROM trailing_streaks WHERE current_streak >= ?
"""


def open_repeat_failure_count(cur, filters: Filters, settings: Settings | None = None) -> int:
    """How many repeat failures are current (what ``repeat_failures`` marks current)."""
    settings = settings_or_default(settings)
    where, params = filters.where()
    sql = OPEN_COUNT_SQL.format(where=where)
    return int(cur.execute(sql, [*params, settings.fail_share, settings.min_streak]).fetchone()[0])
