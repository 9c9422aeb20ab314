"""What there is (quarters, forces, questions) and the headline numbers of the meeting screen."""

from __future__ import annotations

import pandas as pd

from analysis.filters import Filters
from analysis.measures import N_FAILING, N_GOOD, N_GRADED, run, settings_or_default
from dashboard.settings import Settings
from dashboard.vocab import RISK_LEVELS

QUARTERS_SQL = """
SELECT quarter_idx, any_value(quarter) AS quarter, any_value(quarter_start) AS quarter_start,
       count(*) AS reviews
FROM reviews
WHERE active
GROUP BY quarter_idx
ORDER BY quarter_idx
"""


def quarters(cur) -> pd.DataFrame:
    """Quarters with data, ascending: quarter_idx, quarter (label), quarter_start, reviews."""
    return run(cur, QUARTERS_SQL)


FORCES_SQL = """
WITH seen AS (SELECT DISTINCT force FROM reviews WHERE active)
SELECT s.force
FROM seen s LEFT JOIN (SELECT force, rowid AS pos FROM forces) f USING (force)
ORDER BY f.pos NULLS LAST, s.force
"""

ALL_FORCES_SQL = "SELECT force FROM forces ORDER BY rowid"

REVIEWING_FORCES_SQL = """
WITH seen AS (SELECT DISTINCT reviewing_force AS force FROM reviews
              WHERE active AND reviewing_force IS NOT NULL)
SELECT s.force
FROM seen s LEFT JOIN (SELECT force, rowid AS pos FROM forces) f USING (force)
ORDER BY f.pos NULLS LAST, s.force
"""

RISK_LEVELS_SQL = "SELECT DISTINCT risk_level FROM reviews WHERE active AND risk_level IS NOT NULL"

# the active question set, plus questions of older sets that reviews were graded against
QUESTIONS_SQL = """
WITH active_set AS (
    SELECT q.question_id, q.section_no, q.section, q.text AS question, q.ordinal
    FROM questions q JOIN question_sets s ON s.version = q.version AND s.active
),
used_versions AS (SELECT DISTINCT question_set_version AS version FROM reviews WHERE active),
older AS (
    SELECT question_id, arg_max(section_no, version) AS section_no,
           arg_max(section, version) AS section, arg_max(text, version) AS question,
           arg_max(ordinal, version) AS ordinal
    FROM questions
    WHERE version IN (SELECT version FROM used_versions)
      AND question_id NOT IN (SELECT question_id FROM active_set)
    GROUP BY question_id
)
SELECT question_id, section_no, section, question, ordinal
FROM (SELECT *, 0 AS older FROM active_set UNION ALL SELECT *, 1 FROM older)
ORDER BY older, section_no, ordinal, question_id
"""


def dimension_values(cur) -> dict:
    """The values a filter can take.

    ``forces`` and ``reviewing_forces``: those with data, in the region's order;
    ``all_forces``: every configured force; ``risk_levels``: in vocabulary order (those with
    data); ``sections``: names in section order; ``questions``: DataFrame[question_id,
    section, question, ordinal] (the active set plus older sets' questions that reviews use).
    """
    forces = [r[0] for r in cur.execute(FORCES_SQL).fetchall()]
    reviewing = [r[0] for r in cur.execute(REVIEWING_FORCES_SQL).fetchall()]
    all_forces = [r[0] for r in cur.execute(ALL_FORCES_SQL).fetchall()]
    present = {r[0] for r in cur.execute(RISK_LEVELS_SQL).fetchall()}
    risk = [r for r in RISK_LEVELS if r in present] + sorted(present - set(RISK_LEVELS))
    qs = run(cur, QUESTIONS_SQL)
    sections = list(dict.fromkeys(qs["section"].tolist()))
    return {
        "forces": forces,
        "all_forces": list(dict.fromkeys(all_forces + forces)),
        "reviewing_forces": reviewing,
        "risk_levels": risk,
        "sections": sections,
        "questions": qs[["question_id", "section", "question", "ordinal", "section_no"]],
    }


# the two latest quarters with data (no lower bound: the previous quarter may be before it)
LATEST_QUARTERS_SQL = f"""
SELECT quarter_idx, any_value(quarter) AS quarter,
       count(DISTINCT review_id) AS reviews,
       count(*) AS answers,
       {N_GRADED} AS n,
       {N_GOOD} AS n_good,
       {N_FAILING} AS n_failing
FROM answer_facts
WHERE {{where}}
GROUP BY quarter_idx
ORDER BY quarter_idx DESC
LIMIT 2
"""


def _numbers(row) -> dict:
    n = int(row["n"])
    return {
        "quarter": row["quarter"],
        "reviews": int(row["reviews"]),
        "answers": int(row["answers"]),
        "n": n,
        "share_good": (int(row["n_good"]) / n) if n else None,
        "share_failing": (int(row["n_failing"]) / n) if n else None,
    }


def headline(cur, filters: Filters, settings: Settings | None = None) -> dict:
    """The meeting screen's tiles for the latest quarter within ``filters``.

    The previous quarter is the latest earlier quarter with data (``quarter_from`` is
    ignored for it, so a one-quarter view still compares with last quarter), and open
    repeat failures are the current streaks as of the shown quarter, over all earlier
    quarters. Shares are of graded answers (N/A and ungraded excluded); ``n`` is that count.
    """
    from analysis.repeat_failures import open_repeat_failure_count

    settings = settings_or_default(settings)
    return _headline(cur, filters, settings, lambda h: open_repeat_failure_count(cur, h, settings))


def meeting(cur, filters: Filters, settings: Settings | None = None) -> dict:
    """``headline`` and ``repeat_failures`` of the same filters, the streaks worked out once.

    Returns {"headline": headline(cur, filters, settings), "repeat_failures":
    repeat_failures(cur, filters without quarter_from, settings)}: the meeting screen shows
    both, and the open repeat failures of the headline are the current rows of that table.
    """
    from analysis.repeat_failures import repeat_failures

    settings = settings_or_default(settings)
    history = filters.but(quarter_from=None)
    found: dict = {}

    def open_count(upto: Filters) -> int:
        # ``upto`` ends at the latest quarter with data within ``history``: the same rows
        found["rf"] = repeat_failures(cur, upto, settings)
        return int(found["rf"]["current"].sum())

    h = _headline(cur, filters, settings, open_count)
    rf = found["rf"] if "rf" in found else repeat_failures(cur, history, settings)
    return {"headline": h, "repeat_failures": rf}


def _headline(cur, filters: Filters, settings: Settings, open_count) -> dict:
    history = filters.but(quarter_from=None)
    where, params = history.where()
    last_two = run(cur, LATEST_QUARTERS_SQL.format(where=where), params)
    if filters.quarter_from is not None:
        # the shown quarter must be within the filters; the previous one need not be
        in_range = last_two["quarter_idx"] >= filters.quarter_from
        if not in_range.iloc[:1].all():
            last_two = last_two.iloc[0:0]
    if last_two.empty:
        return {
            "quarter": None,
            "quarter_idx": None,
            "reviews": 0,
            "answers": 0,
            "n": 0,
            "share_good": None,
            "share_failing": None,
            "prev_quarter": None,
            "prev_quarter_idx": None,
            "share_good_prev": None,
            "n_prev": 0,
            "share_failing_prev": None,
            "change_pts": None,
            "open_repeat_failures": 0,
        }
    idx = int(last_two["quarter_idx"].iloc[0])
    now = _numbers(last_two.iloc[0])
    prev = _numbers(last_two.iloc[1]) if len(last_two) > 1 else None
    prev_idx = int(last_two["quarter_idx"].iloc[1]) if prev else None
    history = history.but(quarter_to=idx)
    change = None
    if prev and prev["share_good"] is not None and now["share_good"] is not None:
        change = 100.0 * (now["share_good"] - prev["share_good"])
    return {
        **now,
        "quarter_idx": idx,
        "prev_quarter": prev["quarter"] if prev else None,
        "prev_quarter_idx": prev_idx,
        "share_good_prev": prev["share_good"] if prev else None,
        "n_prev": prev["n"] if prev else 0,
        "share_failing_prev": prev["share_failing"] if prev else None,
        "change_pts": change,
        "open_repeat_failures": open_count(history),
    }
