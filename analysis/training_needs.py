"""Who needs what training: officers and forces with recurring failures, suggested topics,
and whether an intervention was followed by better grades.

An officer *training need* is the same officer with failures on the same question in at
least ``min_officer_reviews`` different reviews (contract.md). A force's *recurring*
failure is a question it failed (see ``repeat_failures``) in at least ``min_streak``
quarters, consecutive or not; ``current_streak`` says how many of the latest are in a row.
"""

from __future__ import annotations

import pandas as pd

from analysis.feedback import theme_condition, theme_forms
from analysis.filters import Filters
from analysis.measures import (
    FORCE_ORDER,
    IS_FAILING,
    N_FAILING,
    N_GRADED,
    QUESTION_LABELS,
    fails_condition,
    run,
    settings_or_default,
)
from analysis.repeat_failures import FAILING_QUARTERS_CTE
from dashboard.settings import Settings
from dashboard.vocab import quarter_label

FORCE_ORDER_SQL = "SELECT force FROM forces ORDER BY rowid"

# params: filter params, min_officer_reviews
OFFICER_NEEDS_SQL = f"""
WITH {QUESTION_LABELS},
{FORCE_ORDER},
per_quarter AS (
    SELECT force, officer, question_id, quarter_idx, any_value(quarter) AS quarter,
           {N_GRADED} AS n_graded,
           {N_FAILING} AS failures,
           count(DISTINCT review_id) FILTER (WHERE {IS_FAILING}) AS reviews
    FROM answer_facts
    WHERE {{where}} AND officer IS NOT NULL AND trim(officer) <> ''
    GROUP BY force, officer, question_id, quarter_idx
),
per_officer AS (
    SELECT force, officer, question_id,
           CAST(sum(failures) AS BIGINT) AS failures,
           CAST(sum(reviews) AS BIGINT) AS reviews,
           CAST(sum(n_graded) AS BIGINT) AS n_graded,
           list(quarter ORDER BY quarter_idx) FILTER (WHERE failures > 0) AS quarters,
           max(quarter_idx) FILTER (WHERE failures > 0) AS last_failure_idx
    FROM per_quarter
    GROUP BY force, officer, question_id
    HAVING sum(reviews) >= ?
)
SELECT p.force, p.officer, p.question_id, l.section, l.question, p.failures, p.reviews,
       p.quarters, p.n_graded, p.last_failure_idx, l.section_no, l.ordinal
FROM per_officer p
LEFT JOIN question_labels l USING (question_id)
LEFT JOIN force_order o USING (force)
ORDER BY p.reviews DESC, p.failures DESC, p.last_failure_idx DESC, o.force_pos NULLS LAST,
         p.force, p.officer, l.section_no, l.ordinal, p.question_id
"""

# The same result when a need takes at least one review with a failure (always, unless the
# setting is below 1): group the failing answers alone (a fifth of them or fewer), then
# count the graded answers of the officers and questions that are needs, and no others.
# params: filter params, min_officer_reviews, filter params
OFFICER_NEEDS_FAILING_FIRST_SQL = f"""
WITH {QUESTION_LABELS},
{FORCE_ORDER},
per_quarter AS (
    SELECT force, officer, question_id, quarter_idx, any_value(quarter) AS quarter,
           count(*) AS failures, count(DISTINCT review_id) AS reviews
    FROM answer_facts
    WHERE {{where}} AND {IS_FAILING} AND officer IS NOT NULL AND trim(officer) <> ''
    GROUP BY force, officer, question_id, quarter_idx
),
per_officer AS (
    SELECT force, officer, question_id,
           CAST(sum(failures) AS BIGINT) AS failures,
           CAST(sum(reviews) AS BIGINT) AS reviews,
           list(quarter ORDER BY quarter_idx) AS quarters,
           max(quarter_idx) AS last_failure_idx
    FROM per_quarter
    GROUP BY force, officer, question_id
    HAVING sum(reviews) >= ?
),
graded AS (
    SELECT force, officer, question_id, CAST({N_GRADED} AS BIGINT) AS n_graded
    FROM answer_facts
    SEMI JOIN per_officer p USING (force, officer, question_id)
    WHERE {{where}}
    GROUP BY force, officer, question_id
)
SELECT p.force, p.officer, p.question_id, l.section, l.question, p.failures, p.reviews,
       p.quarters, g.n_graded, p.last_failure_idx, l.section_no, l.ordinal
FROM per_officer p
JOIN graded g USING (force, officer, question_id)
LEFT JOIN question_labels l USING (question_id)
LEFT JOIN force_order o USING (force)
ORDER BY p.reviews DESC, p.failures DESC, p.last_failure_idx DESC, o.force_pos NULLS LAST,
         p.force, p.officer, l.section_no, l.ordinal, p.question_id
"""


def officer_training_needs(cur, filters: Filters, settings: Settings | None = None) -> pd.DataFrame:
    """Officers with failures on the same question in >= ``min_officer_reviews`` reviews.

    Columns: force, officer, question_id, section, question, failures, reviews (different
    reviews with a failure), quarters (labels with a failure), n_graded (all their graded
    answers to it), last_failure_idx. Sorted by reviews, failures, most recent.
    """
    settings = settings_or_default(settings)
    where, params = filters.where()
    least = settings.min_officer_reviews
    if least >= 1:
        sql = OFFICER_NEEDS_FAILING_FIRST_SQL.format(where=where)
        return run(cur, sql, [*params, least, *params])
    return run(cur, OFFICER_NEEDS_SQL.format(where=where), [*params, least])


# params: filter params, fail_share, min_streak
# One pass per force and question over its quarters with data: ``pattern`` is their
# fail / pass in quarter order, so the current streak is its trailing run of fails and the
# longest streak its longest run (no window function: several times cheaper at scale).
FORCE_NEEDS_SQL = f"""
WITH {FAILING_QUARTERS_CTE},
{QUESTION_LABELS},
{FORCE_ORDER},
per_force AS (
    SELECT force, question_id,
           count(*) AS quarters_with_data,
           count(*) FILTER (WHERE fails) AS failing_quarters,
           list(fails ORDER BY quarter_idx) AS pattern,
           CAST(sum(n_graded) AS BIGINT) AS n,
           CAST(sum(n_failing) AS BIGINT) AS failures,
           list(quarter ORDER BY quarter_idx) FILTER (WHERE fails) AS quarters,
           max(quarter_idx) FILTER (WHERE fails) AS last_failing_idx
    FROM failing_quarters
    GROUP BY force, question_id
    HAVING count(*) FILTER (WHERE fails) >= ?
),
runs AS (
    SELECT *,
           CAST(coalesce(list_position(list_reverse(pattern), FALSE), len(pattern) + 1) - 1
                AS BIGINT) AS current_streak,
           CASE WHEN failing_quarters > 0 THEN CAST(list_max(list_transform(
               string_split(array_to_string(
                   list_transform(pattern, lambda x: CASE WHEN x THEN '1' ELSE '0' END), ''), '0'),
               lambda s: length(s))) AS BIGINT) END AS longest_streak
    FROM per_force
)
SELECT p.force, p.question_id, l.section, l.question, p.failing_quarters, p.quarters_with_data,
       p.failures / nullif(p.n, 0) AS share_failing, p.n, p.failures, p.current_streak,
       p.longest_streak, p.quarters, p.last_failing_idx, l.section_no, l.ordinal
FROM runs p
LEFT JOIN question_labels l USING (question_id)
LEFT JOIN force_order o USING (force)
ORDER BY p.current_streak DESC, p.failing_quarters DESC, share_failing DESC,
         o.force_pos NULLS LAST, p.force, l.section_no, l.ordinal, p.question_id
"""


def force_training_needs(cur, filters: Filters, settings: Settings | None = None) -> pd.DataFrame:
    """Recurring failures per force and question, ranked for CPD planning.

    Columns: force, question_id, section, question, failing_quarters (quarters the force
    failed it, >= ``min_streak``), quarters_with_data, share_failing (of all its graded
    answers to it in the period), n, failures, current_streak (failing quarters in a row up
    to its latest quarter with data; 0 when the latest passed), longest_streak, quarters.
    """
    settings = settings_or_default(settings)
    where, params = filters.where()
    sql = FORCE_NEEDS_SQL.format(where=where)
    return run(cur, sql, [*params, settings.fail_share, settings.min_streak])


# Sections: per topic and force, n, failures and whether a question of the section failed
# in >= min_streak quarters. params: filter params, fail_share, min_streak
SECTION_TOPICS_SQL = f"""
WITH cells AS MATERIALIZED (
    SELECT force, quarter_idx, question_id, any_value(section) AS section,
           min(section_no) AS section_no, {N_GRADED} AS n, {N_FAILING} AS failures
    FROM answer_facts
    WHERE {{where}} AND section IS NOT NULL
    GROUP BY force, quarter_idx, question_id
),
per_question AS (
    SELECT force, question_id, any_value(section) AS section,
           count(*) FILTER (WHERE {fails_condition("failures", "n")}) AS failing
    FROM cells GROUP BY force, question_id
),
needed AS (SELECT DISTINCT force, section FROM per_question WHERE failing >= ?),
sections AS (
    SELECT section AS topic, min(section_no) AS topic_order, force,
           sum(n) AS n, sum(failures) AS failures
    FROM cells GROUP BY section, force
)
SELECT 'section' AS kind, s.topic, s.topic_order, s.force,
       CAST(s.n AS BIGINT) AS n, CAST(s.failures AS BIGINT) AS failures,
       nd.force IS NOT NULL AS recurring
FROM sections s LEFT JOIN needed nd ON nd.force = s.force AND nd.section = s.topic
"""

# Themes: per force and quarter, graded (n{i}) and failing (f{i}) answers whose feedback
# mentions theme i; then per force, the quarters in which f{i} / n{i} >= fail_share.
# {where} {flags} {sums} {force_sums} {theme_rows}
# params in text order: keyword forms, filter params, fail_share per theme,
# (theme, min_streak) per theme
THEME_TOPICS_SQL = f"""
WITH per_force_quarter AS (
    SELECT force, quarter_idx{{sums}}
    FROM (
        SELECT force, quarter_idx,
               CAST(coalesce({IS_FAILING}, FALSE) AS INTEGER) AS failing,
               CAST(grade_score IS NOT NULL AS INTEGER) AS graded{{flags}}
        FROM (SELECT force, quarter_idx, grade_score, feedback_words AS nf
              FROM answer_facts WHERE {{where}} AND feedback IS NOT NULL)
    )
    GROUP BY force, quarter_idx
),
per_force AS (SELECT force{{force_sums}} FROM per_force_quarter GROUP BY force)
{{theme_rows}}
"""


def _topic_forces(
    cur, filters: Filters, themes: dict[str, list[str]], settings: Settings
) -> pd.DataFrame:
    """kind, topic, topic_order, force, n, failures, recurring: one row per topic and force."""
    where, params = filters.where()
    frames = [
        run(
            cur,
            SECTION_TOPICS_SQL.format(where=where),
            [*params, settings.fail_share, settings.min_streak],
        )
    ]
    if themes:
        flags, sums, force_sums, rows = [], [], [], []
        forms_params, share_params, row_params = [], [], []
        for i, (theme, forms) in enumerate(themes.items()):
            cond, p = theme_condition(forms)
            flags.append(f", CAST(coalesce({cond}, FALSE) AS INTEGER) AS t{i}")
            forms_params += p
            sums.append(f", sum(t{i} * graded) AS n{i}, sum(t{i} * failing) AS f{i}")
            force_sums.append(
                f", sum(n{i}) AS n{i}, sum(f{i}) AS f{i},"
                f" count(*) FILTER (WHERE {fails_condition(f'f{i}', f'n{i}')}) AS q{i}"
            )
            share_params.append(settings.fail_share)
            rows.append(
                f"SELECT 'theme' AS kind, ? AS topic, {1000 + i} AS topic_order, force,"
                f" CAST(n{i} AS BIGINT) AS n, CAST(f{i} AS BIGINT) AS failures,"
                f" q{i} >= ? AS recurring FROM per_force"
            )
            row_params += [theme, settings.min_streak]
        sql = THEME_TOPICS_SQL.format(
            where=where,
            flags="".join(flags),
            sums="".join(sums),
            force_sums="".join(force_sums),
            theme_rows="\nUNION ALL ".join(rows),
        )
        frames.append(run(cur, sql, [*forms_params, *params, *share_params, *row_params]))
    return pd.concat([f for f in frames if not f.empty] or frames[:1], ignore_index=True)


def suggested_topics(cur, filters: Filters, settings: Settings | None = None) -> pd.DataFrame:
    """Training topics by section and by feedback theme, where there are failures.

    Columns: topic, kind ('section' | 'theme'), forces (in region order), n_forces,
    failures (failing answers), n (graded answers), share_failing. Ranked by how many
    forces need it, then failures.

    A force needs a *section* when it has a recurring failure (a question failed in
    >= ``min_streak`` quarters, see ``force_training_needs``) on one of its questions. A
    *theme* is found in the feedback (``Settings.themes``); a force needs it when, in
    >= ``min_streak`` quarters, at least ``fail_share`` of its graded answers whose
    feedback mentions the theme are failures.
    """
    settings = settings_or_default(settings)
    per_force = _topic_forces(cur, filters, theme_forms(settings.themes), settings)
    cols = ["topic", "kind", "forces", "n_forces", "failures", "n", "share_failing"]
    if per_force.empty:
        return pd.DataFrame(columns=cols)
    order = {f: i for i, f in enumerate(r[0] for r in cur.execute(FORCE_ORDER_SQL).fetchall())}
    per_force["force_pos"] = per_force["force"].map(order).fillna(len(order))
    per_force = per_force.sort_values(["force_pos", "force"])
    recurring = per_force[per_force["recurring"].astype(bool)]
    forces = recurring.groupby(["kind", "topic"])["force"].agg(list)
    df = per_force.groupby(["kind", "topic"], as_index=False).agg(
        n=("n", "sum"), failures=("failures", "sum"), topic_order=("topic_order", "min")
    )
    df = df[df["failures"] > 0].copy()
    df["forces"] = [forces.get((k, t), []) for k, t in zip(df["kind"], df["topic"], strict=True)]
    df["n_forces"] = df["forces"].map(len).astype("int64")
    df["failures"] = df["failures"].astype("int64")
    df["n"] = df["n"].astype("int64")
    df["share_failing"] = df["failures"] / df["n"].where(df["n"] > 0)
    df = df.sort_values(
        ["n_forces", "failures", "share_failing", "kind", "topic_order", "topic"],
        ascending=[False, False, False, True, True, True],
        na_position="last",
    ).reset_index(drop=True)
    return df[cols]


INTERVENTIONS_SQL = f"""
WITH {QUESTION_LABELS}
SELECT i.intervention_id, i.force, i.officer, i.question_id, l.question, i.topic,
       i.delivered_on, i.notes, i.created_at, i.created_by
FROM interventions i
LEFT JOIN question_labels l USING (question_id)
ORDER BY i.delivered_on DESC, i.intervention_id DESC
"""


def interventions(cur) -> pd.DataFrame:
    """The intervention log, latest first."""
    return run(cur, INTERVENTIONS_SQL)


# The quarter (Quarter.index) a date falls in: UK financial years, Q1 = April-June.
_DATE_QUARTER = (
    "((CASE WHEN month(i.delivered_on) >= 4 THEN year(i.delivered_on)"
    " ELSE year(i.delivered_on) - 1 END) * 4 + ((month(i.delivered_on) + 8) % 12) // 3)"
)

# params: quarters, quarters
INTERVENTION_EFFECT_SQL = f"""
WITH {QUESTION_LABELS},
iv AS (SELECT i.*, {_DATE_QUARTER} AS delivered_idx FROM interventions i),
matched AS (
    SELECT iv.intervention_id,
           CASE WHEN f.quarter_idx < iv.delivered_idx THEN 'before' ELSE 'after' END AS period,
           f.grade_score
    FROM iv
    JOIN answer_facts f
      ON f.force = iv.force
     AND (iv.officer IS NULL OR f.officer = iv.officer)
     AND (iv.question_id IS NULL OR f.question_id = iv.question_id)
     AND f.quarter_idx BETWEEN iv.delivered_idx - ? AND iv.delivered_idx + ?
     AND f.quarter_idx <> iv.delivered_idx
),
effect AS (
    SELECT intervention_id,
           avg(grade_score) FILTER (WHERE period = 'before') AS before_avg,
           count(grade_score) FILTER (WHERE period = 'before') AS before_n,
           count(*) FILTER (WHERE period = 'before' AND {IS_FAILING}) AS before_failing,
           avg(grade_score) FILTER (WHERE period = 'after') AS after_avg,
           count(grade_score) FILTER (WHERE period = 'after') AS after_n,
           count(*) FILTER (WHERE period = 'after' AND {IS_FAILING}) AS after_failing
    FROM matched
    GROUP BY intervention_id
)
SELECT iv.intervention_id, iv.force, iv.officer, iv.question_id, l.question, iv.topic,
       iv.delivered_on, iv.delivered_idx,
       e.before_avg, coalesce(e.before_n, 0) AS before_n,
       e.before_failing / nullif(e.before_n, 0) AS before_share_failing,
       e.after_avg, coalesce(e.after_n, 0) AS after_n,
       e.after_failing / nullif(e.after_n, 0) AS after_share_failing
FROM iv
LEFT JOIN effect e USING (intervention_id)
LEFT JOIN question_labels l USING (question_id)
ORDER BY iv.delivered_on DESC, iv.intervention_id DESC
"""


def intervention_effect(cur, settings: Settings | None = None, quarters: int = 2) -> pd.DataFrame:
    """Per intervention: grades before and after it, with n.

    Compares the intervention's force (and officer / question when set) in the
    ``quarters`` quarters before the quarter it was delivered in with the ``quarters``
    quarters after it (the delivery quarter itself is in neither). Columns:
    intervention_id, force, officer, question_id, question, topic, delivered_on,
    delivered_quarter, before_quarters, after_quarters, before_avg, before_n,
    before_share_failing, after_avg, after_n, after_share_failing, change (after - before
    average grade), change_share_failing.
    """
    n = max(1, int(quarters))
    df = run(cur, INTERVENTION_EFFECT_SQL, [n, n])
    idx = df.pop("delivered_idx")
    df.insert(7, "delivered_quarter", idx.map(lambda i: quarter_label(int(i))))
    df.insert(
        8,
        "before_quarters",
        idx.map(lambda i: f"{quarter_label(int(i) - n)} to {quarter_label(int(i) - 1)}"),
    )
    df.insert(
        9,
        "after_quarters",
        idx.map(lambda i: f"{quarter_label(int(i) + 1)} to {quarter_label(int(i) + n)}"),
    )
    df["change"] = df["after_avg"] - df["before_avg"]
    df["change_share_failing"] = df["after_share_failing"] - df["before_share_failing"]
    return df
