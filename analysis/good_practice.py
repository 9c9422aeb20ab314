"""What good looks like: the best-graded answers, with the feedback that says why."""

from __future__ import annotations

import pandas as pd

from analysis.filters import Filters
from analysis.measures import QUESTION_LABELS, run
from dashboard.vocab import OUTSTANDING

# {where}; params: filter params, grades
GOOD_PRACTICE_SQL = f"""
WITH {QUESTION_LABELS}
SELECT f.question_id, l.section, coalesce(l.question, f.question) AS question, f.grade,
       f.feedback, f.force, f.quarter, f.risk_level, f.reviewing_force, f.officer,
       f.grade_score, f.quarter_idx, l.section_no, l.ordinal, f.review_id
FROM answer_facts f
LEFT JOIN question_labels l USING (question_id)
WHERE {{where}} AND list_contains(?, f.grade)
ORDER BY l.section_no NULLS LAST, l.ordinal, f.question_id, f.grade_score DESC,
         (f.feedback IS NULL OR trim(f.feedback) = ''), f.quarter_idx DESC, f.force
"""


def good_practice(
    cur, filters: Filters, grades: tuple[str, ...] | list[str] = (OUTSTANDING.name,)
) -> pd.DataFrame:
    """Answers graded ``grades`` (Outstanding by default), by question, best and newest
    first, answers with written feedback before those without.

    Columns: question_id, section, question, grade, feedback, force, quarter, risk_level,
    reviewing_force, officer, grade_score, quarter_idx, section_no, ordinal, review_id.
    """
    where, params = filters.where("f")
    return run(cur, GOOD_PRACTICE_SQL.format(where=where), [*params, [str(g) for g in grades]])
