"""Grades over quarters, and the questions that are getting better or worse."""

from __future__ import annotations

import pandas as pd

from analysis.filters import Filters
from analysis.measures import FORCE_ORDER, QUESTION_LABELS, STANDARD, run
from dashboard.settings import Settings

BY = (None, "force", "section", "question")

_TREND_BY = {
    None: ("", "", ""),
    "force": (
        ", f.force",
        "LEFT JOIN force_order o ON o.force = f.force",
        ", min(o.force_pos) NULLS LAST, f.force",
    ),
    "section": (", f.section", "", ", min(f.section_no), f.section"),
    "question": (
        ", f.question_id, any_value(l.question) AS question",
        "LEFT JOIN question_labels l ON l.question_id = f.question_id",
        ", min(l.section_no), min(l.ordinal), f.question_id",
    ),
}

# {by_cols} {by_join} {by_order} {where}
QUARTER_TREND_SQL = f"""
WITH {QUESTION_LABELS},
{FORCE_ORDER}
SELECT f.quarter_idx, any_value(f.quarter) AS quarter{{by_cols}},
       {STANDARD},
       count(*) AS answers
FROM answer_facts f
{{by_join}}
WHERE {{where}}
GROUP BY f.quarter_idx{{by_group}}
ORDER BY f.quarter_idx{{by_order}}
"""


def quarter_trend(cur, filters: Filters, by: str | None = None) -> pd.DataFrame:
    """One row per quarter with data (and per ``by`` value): n (graded), avg_score,
    share_failing, share_good, answers. ``by="question"`` adds question_id and question."""
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, not {by!r}")
    cols, join, order = _TREND_BY[by]
    group = {
        None: "",
        "force": ", f.force",
        "section": ", f.section",
        "question": ", f.question_id",
    }[by]
    where, params = filters.where("f")
    sql = QUARTER_TREND_SQL.format(
        by_cols=cols, by_join=join, by_order=order, by_group=group, where=where
    )
    return run(cur, sql, params)


# params: filter params, recent x3, filter params
IMPROVING_DECLINING_SQL = f"""
WITH {QUESTION_LABELS},
{FORCE_ORDER},
with_data AS (SELECT DISTINCT quarter_idx, quarter FROM answer_facts f WHERE {{where}}),
ranked AS (
    SELECT quarter_idx, quarter, row_number() OVER (ORDER BY quarter_idx DESC) AS k
    FROM with_data
),
windows AS (
    SELECT quarter_idx, quarter, CASE WHEN k <= ? THEN 'recent' ELSE 'earlier' END AS period
    FROM ranked WHERE k <= 2 * ? AND EXISTS (SELECT 1 FROM ranked WHERE k > ?)
),
periods AS (
    SELECT string_agg(quarter, ', ' ORDER BY quarter_idx) FILTER (WHERE period = 'earlier')
               AS earlier_quarters,
           string_agg(quarter, ', ' ORDER BY quarter_idx) FILTER (WHERE period = 'recent')
               AS recent_quarters
    FROM windows
),
scores AS (
    SELECT f.force, f.question_id, w.period, f.grade_score
    FROM answer_facts f JOIN windows w USING (quarter_idx)
    WHERE {{where}}
),
changes AS (
    SELECT question_id,
           CASE WHEN grouping(force) = 1 THEN 'Region' ELSE force END AS force,
           grouping(force) = 1 AS is_region,
           avg(grade_score) FILTER (WHERE period = 'earlier') AS earlier_avg,
           avg(grade_score) FILTER (WHERE period = 'recent') AS recent_avg,
           count(grade_score) FILTER (WHERE period = 'earlier') AS n_earlier,
           count(grade_score) FILTER (WHERE period = 'recent') AS n_recent
    FROM scores
    GROUP BY GROUPING SETS ((question_id, force), (question_id))
)
SELECT c.question_id, l.question, l.section, c.force, c.earlier_avg, c.recent_avg,
       c.recent_avg - c.earlier_avg AS change, c.n_earlier, c.n_recent,
       p.earlier_quarters, p.recent_quarters, c.is_region
FROM changes c
CROSS JOIN periods p
LEFT JOIN question_labels l USING (question_id)
LEFT JOIN force_order o ON o.force = c.force
WHERE c.n_earlier > 0 AND c.n_recent > 0
ORDER BY change DESC, c.is_region DESC, o.force_pos NULLS LAST, c.force, l.section_no, l.ordinal
"""

IMPROVING = "improving"
DECLINING = "declining"
STEADY = "steady"


def improving_declining(
    cur,
    filters: Filters,
    settings: Settings | None = None,
    recent: int = 2,
    min_change: float = 0.25,
) -> pd.DataFrame:
    """Average grade in the latest ``recent`` quarters with data against the ``recent``
    quarters before them, per question for each force and for the whole selection
    (force ``'Region'``).

    Columns: question_id, question, section, force, earlier_avg, recent_avg, change,
    n_earlier, n_recent, direction (improving / declining / steady: a change of at least
    ``min_change`` grade points), earlier_quarters, recent_quarters, is_region.
    Rows need graded answers in both periods; sorted by change, best first.
    """
    recent = max(1, int(recent))
    where, params = filters.where("f")
    sql = IMPROVING_DECLINING_SQL.format(where=where)
    df = run(cur, sql, [*params, recent, recent, recent, *params])
    df["direction"] = STEADY
    df.loc[df["change"] >= min_change - 1e-9, "direction"] = IMPROVING
    df.loc[df["change"] <= -min_change + 1e-9, "direction"] = DECLINING
    first = [
        "question_id",
        "question",
        "section",
        "force",
        "earlier_avg",
        "recent_avg",
        "change",
        "n_earlier",
        "n_recent",
        "direction",
    ]
    return df[first + [c for c in df.columns if c not in first]]
