"""One force against the region: per question, and its officers."""

from __future__ import annotations

import pandas as pd

from analysis.filters import Filters
from analysis.measures import (
    AVG_SCORE,
    IS_FAILING,
    N_FAILING,
    N_GOOD,
    N_GRADED,
    QUESTION_LABELS,
    run,
    settings_or_default,
)
from dashboard.settings import Settings

# {where}; params: filter params (forces ignored), force x4
FORCE_VS_REGION_SQL = f"""
WITH {QUESTION_LABELS},
per_question AS (
    SELECT question_id,
           avg(grade_score) FILTER (WHERE force = ?) AS force_avg,
           count(grade_score) FILTER (WHERE force = ?) AS force_n,
           count(*) FILTER (WHERE force = ? AND {IS_FAILING}) AS force_failing,
           {AVG_SCORE} AS region_avg,
           {N_GRADED} AS region_n,
           {N_FAILING} AS region_failing,
           avg(grade_score) FILTER (WHERE force <> ?) AS others_avg
    FROM answer_facts
    WHERE {{where}}
    GROUP BY question_id
)
SELECT p.question_id, l.section, l.question, l.section_no, l.ordinal,
       p.force_avg, p.force_n, p.region_avg, p.region_n,
       p.force_avg - p.region_avg AS diff,
       p.force_failing / nullif(p.force_n, 0) AS force_share_failing,
       p.region_failing / nullif(p.region_n, 0) AS region_share_failing,
       p.others_avg
FROM per_question p
LEFT JOIN question_labels l USING (question_id)
ORDER BY l.section_no NULLS LAST, l.ordinal, p.question_id
"""


def force_vs_region(cur, filters: Filters, force: str) -> pd.DataFrame:
    """Per question: the force's average grade and n against the region's (all forces,
    the force included; ``others_avg`` leaves it out), diff (force - region), and the
    share failing of both. ``filters.forces`` is ignored: the region is every force.
    Questions only the region answered have force_n 0 and no force average.
    """
    where, params = filters.but(forces=()).where()
    sql = FORCE_VS_REGION_SQL.format(where=where)
    return run(cur, sql, [force, force, force, force, *params])


# params: force, filter params, min_officer_reviews
OFFICER_SUMMARY_SQL = f"""
WITH per_question AS (
    SELECT officer, question_id,
           count(DISTINCT review_id) FILTER (WHERE {IS_FAILING}) AS failing_reviews
    FROM answer_facts
    WHERE force = ? AND officer IS NOT NULL AND trim(officer) <> '' AND {{where}}
    GROUP BY officer, question_id
),
needs AS (
    SELECT officer, count(*) FILTER (WHERE failing_reviews >= ?) AS training_needs
    FROM per_question GROUP BY officer
)
SELECT f.officer,
       count(DISTINCT f.review_id) AS reviews,
       {N_GRADED} AS n,
       {AVG_SCORE} AS avg_score,
       {N_FAILING} / nullif({N_GRADED}, 0) AS share_failing,
       {N_GOOD} / nullif({N_GRADED}, 0) AS share_good,
       any_value(n.training_needs) AS training_needs,
       arg_min(f.quarter, f.quarter_idx) AS first_quarter,
       arg_max(f.quarter, f.quarter_idx) AS last_quarter
FROM answer_facts f
JOIN needs n USING (officer)
WHERE f.force = ? AND {{where_f}}
GROUP BY f.officer
ORDER BY training_needs DESC, share_failing DESC NULLS LAST, f.officer
"""


def officer_summary(
    cur, filters: Filters, force: str, settings: Settings | None = None
) -> pd.DataFrame:
    """The force's officers: reviews, n (graded answers), avg_score, share_failing,
    share_good, training_needs (questions failed in >= ``min_officer_reviews`` reviews),
    first_quarter, last_quarter. Most in need first."""
    settings = settings_or_default(settings)
    base = filters.but(forces=())
    where, params = base.where()
    where_f, params_f = base.where("f")
    sql = OFFICER_SUMMARY_SQL.format(where=where, where_f=where_f)
    return run(cur, sql, [force, *params, settings.min_officer_reviews, force, *params_f])
