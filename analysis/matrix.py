"""The grade matrix behind every heatmap, and the answers behind one of its cells."""

from __future__ import annotations

import pandas as pd

from analysis.filters import Filters
from analysis.measures import (
    FORCE_ORDER,
    GRADE_COUNTS,
    N_NA,
    N_UNGRADED,
    QUESTION_LABELS,
    STANDARD,
    grade_words,
    run,
)
from dashboard.settings import Settings
from dashboard.vocab import RISK_LEVELS

ROWS = ("question", "section")
COLS = ("force", "quarter", "risk_level", "reviewing_force")

# SQL expressions for a column dimension's key (text), label and order
_COL_KEY = {
    "force": "f.force",
    "quarter": "f.quarter",
    "risk_level": "f.risk_level",
    "reviewing_force": "f.reviewing_force",
}
_COL_ORDER = {
    "force": "coalesce(min(o.force_pos), 1000000)",
    "quarter": "min(f.quarter_idx)",
    "risk_level": "coalesce(list_position(?, f.risk_level), 1000000)",
    "reviewing_force": "coalesce(min(o.force_pos), 1000000)",
}
_COL_ORDER_JOIN = {
    "force": "LEFT JOIN force_order o ON o.force = f.force",
    "quarter": "",
    "risk_level": "",
    "reviewing_force": "LEFT JOIN force_order o ON o.force = f.reviewing_force",
}

# {row_key} {col_key} {col_order} {order_join} {where}; params: risk order (risk_level only), filter
GRADE_MATRIX_SQL = f"""
WITH {FORCE_ORDER}
SELECT {{row_key}} AS row_key,
       {{col_key}} AS col_key,
       {{col_order}} AS col_order,
       {STANDARD},
       {N_NA} AS n_na,
       {N_UNGRADED} AS n_ungraded,
       count(*) AS answers,
       count(DISTINCT f.review_id) AS reviews,
       {GRADE_COUNTS}
FROM answer_facts f
{{order_join}}
WHERE {{where}}
GROUP BY ALL
"""

QUESTION_ROWS_SQL = f"""
WITH {QUESTION_LABELS}
SELECT question_id AS row_key, question AS row_label, section_no, section, ordinal
FROM question_labels
"""

# sections of the question sets that reviews were graded against (no scan of the answers)
SECTION_ROWS_SQL = """
SELECT section AS row_key, section AS row_label,
       arg_max(section_no, version) AS section_no, section,
       arg_max(section_no, version) AS ordinal
FROM questions
WHERE version IN (SELECT DISTINCT question_set_version FROM reviews WHERE active)
GROUP BY section
"""

_RISK_ORDER_NAME = "risk_level"


def _col_parts(cols: str) -> tuple[str, str, str, list]:
    if cols not in COLS:
        raise ValueError(f"cols must be one of {COLS}, not {cols!r}")
    extra = [list(RISK_LEVELS)] if cols == _RISK_ORDER_NAME else []
    return _COL_KEY[cols], _COL_ORDER[cols], _COL_ORDER_JOIN[cols], extra


def _row_key(rows: str) -> str:
    if rows == "question":
        return "f.question_id"
    if rows == "section":
        return "f.section"
    raise ValueError(f"rows must be one of {ROWS}, not {rows!r}")


def grade_matrix(
    cur,
    filters: Filters,
    rows: str = "question",
    cols: str = "force",
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Long form: one row per (row_key, col_key) that has answers.

    Columns: row_key, row_label, section_no, section, ordinal, col_key, col_label,
    col_order, n (graded answers), n_na, n_outstanding, n_good, n_adequate, n_ri,
    n_inadequate, avg_score, share_failing, share_good, grade (the canonical word nearest
    the average, for colour; None when nothing was graded), plus n_ungraded, answers,
    reviews. ``col_key`` is the force, quarter label, risk level or reviewing force (None
    when not recorded; ``col_label`` then says so). Sorted by row then column order.
    """
    row_key = _row_key(rows)
    col_key, col_order, order_join, extra = _col_parts(cols)
    where, params = filters.where("f")
    sql = GRADE_MATRIX_SQL.format(
        row_key=row_key, col_key=col_key, col_order=col_order, order_join=order_join, where=where
    )
    # the order expression's parameter (risk levels) comes before the filter's
    df = run(cur, sql, [*extra, *params])
    labels = run(cur, QUESTION_ROWS_SQL if rows == "question" else SECTION_ROWS_SQL)
    df = df.merge(labels, on="row_key", how="left")
    df["row_label"] = df["row_label"].fillna(df["row_key"])
    df["col_key"] = df["col_key"].astype(object).where(df["col_key"].notna(), None)
    df["col_label"] = df["col_key"].fillna("Not recorded")
    df["grade"] = grade_words(df["avg_score"], settings)
    df = df.sort_values(
        ["section_no", "ordinal", "row_key", "col_order", "col_label"],
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    first = [
        "row_key",
        "row_label",
        "section_no",
        "section",
        "ordinal",
        "col_key",
        "col_label",
        "col_order",
        "n",
        "n_na",
        "n_outstanding",
        "n_good",
        "n_adequate",
        "n_ri",
        "n_inadequate",
        "avg_score",
        "share_failing",
        "share_good",
        "grade",
    ]
    return df[first + [c for c in df.columns if c not in first]]


CELL_ANSWERS_SQL = f"""
WITH {QUESTION_LABELS}
SELECT f.quarter, f.force, f.reviewing_force, f.risk_level, f.case_id, f.officer,
       f.question_id, coalesce(l.question, f.question) AS question, f.grade, f.feedback,
       f.grade_score, f.section, f.quarter_idx, f.review_id, f.cell, f.sheet
FROM answer_facts f
LEFT JOIN question_labels l USING (question_id)
WHERE {{where}} AND {{row_col}} IS NOT DISTINCT FROM ? AND {{col_col}} IS NOT DISTINCT FROM ?
ORDER BY f.quarter_idx DESC, f.force, list_position(?, f.risk_level) NULLS LAST,
         f.section_no, f.ordinal, f.question_id
"""


def cell_answers(
    cur, filters: Filters, rows: str, row_key: str, cols: str, col_key: str | None
) -> pd.DataFrame:
    """The answers behind one matrix cell (N/A and ungraded included), newest first.

    Columns: quarter, force, reviewing_force, risk_level, case_id, officer, question_id,
    question, grade, feedback (then grade_score, section, quarter_idx, review_id, cell, sheet).
    """
    row_col = _row_key(rows)
    col_col = _col_parts(cols)[0]
    where, params = filters.where("f")
    sql = CELL_ANSWERS_SQL.format(where=where, row_col=row_col, col_col=col_col)
    return run(cur, sql, [*params, row_key, col_key, list(RISK_LEVELS)])
