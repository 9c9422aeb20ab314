"""Searching the written feedback, and counting it by theme.

Search text: words are AND-ed, "quoted phrases" are kept whole; each is matched with
ILIKE (``%`` and ``_`` escaped) as a bound parameter. A theme is a list of keywords; an
answer has a theme when its feedback contains any keyword at the start of a word,
ignoring case and punctuation (``sign-off`` finds "Sign off" and "sign-offs", ``late``
does not find "translated"); keywords are bound parameters.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.filters import Filters
from analysis.measures import IS_FAILING, QUESTION_LABELS, run
from dashboard.settings import Settings
from dashboard.store import FEEDBACK_WORDS

# Feedback and keywords are compared in a normal form: lower case, every run of other
# characters than letters and digits made one space, a space in front. A keyword then
# matches at a word start when the form of the feedback contains " " + the keyword's form
# (``contains`` is ~6x faster than one regular expression per theme at national scale).
# ``answer_facts.feedback_words`` holds that form of each answer's feedback (worked out once,
# when the answer is written); NORMALISED makes it from any other text column.
NORMALISED = FEEDBACK_WORDS


def normalise_keyword(keyword: str) -> str | None:
    """The keyword's form for matching at a word start (None when nothing is left)."""
    core = re.sub(r"[^a-z0-9]+", " ", str(keyword).lower()).strip()
    return " " + core if core else None


def theme_forms(theme_keywords: dict | None) -> dict[str, list[str]]:
    """theme -> normalised keywords, for themes with at least one keyword."""
    tk = Settings().themes if theme_keywords is None else theme_keywords
    out: dict[str, list[str]] = {}
    for theme, kws in tk.items():
        words = kws if isinstance(kws, (list, tuple)) else str(kws).split("|")
        forms = list(dict.fromkeys(f for f in map(normalise_keyword, words) if f))
        if forms:
            out[str(theme)] = forms
    return out


def theme_condition(forms: list[str], column: str = "nf") -> tuple[str, list[str]]:
    """SQL true when ``column`` (a normalised feedback) has any keyword, and its params."""
    return "(" + " OR ".join(f"contains({column}, ?)" for _ in forms) + ")", list(forms)


def search_terms(text: str) -> list[str]:
    """Words and "quoted phrases" of a search box, lower-cased, without empties."""
    terms = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text or ""):
        t = " ".join((phrase or word).split()).strip('"')
        if t:
            terms.append(t.lower())
    return terms


def _like(term: str) -> str:
    esc = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


# {source} {where} {conditions} {limit}
SEARCH_SQL = f"""
WITH {QUESTION_LABELS}
SELECT f.quarter, f.force, f.reviewing_force, f.risk_level, f.officer, f.question_id,
       f.section, coalesce(l.question, f.question) AS question, f.grade, f.feedback,
       f.grade_score, f.case_id, f.quarter_idx, f.review_id
FROM {{source}} f
LEFT JOIN question_labels l USING (question_id)
WHERE {{where}} AND f.feedback IS NOT NULL AND trim(f.feedback) <> ''{{conditions}}
ORDER BY f.quarter_idx DESC, f.force, f.section_no, f.ordinal, f.question_id, f.review_id
{{limit}}
"""


_WITH_NORMALISED = "(SELECT *, feedback_words AS nf FROM answer_facts)"


def search_feedback(
    cur,
    filters: Filters,
    text: str = "",
    grades: tuple[str, ...] | list[str] = (),
    themes: tuple[str, ...] | list[str] = (),
    theme_keywords: dict | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Answers with written feedback matching the search, newest first.

    ``grades``: canonical grade words (``N/A`` included) to keep; ``themes``: keep answers
    with any of these themes (keywords from ``theme_keywords``, default the settings' themes).
    Columns: quarter, force, reviewing_force, risk_level, officer, question_id, section,
    question, grade, feedback, grade_score, case_id, quarter_idx, review_id.
    """
    where, params = filters.where("f")
    conditions: list[str] = []
    source = "answer_facts"
    for term in search_terms(text):
        conditions.append("f.feedback ILIKE ? ESCAPE '\\'")
        params.append(_like(term))
    if grades:
        conditions.append("list_contains(?, f.grade)")
        params.append([str(g) for g in grades])
    if themes:
        chosen = [forms for t, forms in theme_forms(theme_keywords).items() if t in set(themes)]
        forms = [f for fs in chosen for f in fs]
        if not forms:
            conditions.append("FALSE")
        else:
            sql, p = theme_condition(forms, "f.nf")
            conditions.append(sql)
            params.extend(p)
            source = _WITH_NORMALISED
    cond = "".join(f" AND {c}" for c in conditions)
    lim = ""
    if limit is not None:
        lim = "LIMIT ?"
        params.append(int(limit))
    sql = SEARCH_SQL.format(source=source, where=where, conditions=cond, limit=lim)
    return run(cur, sql, params)


# {where} {flags} {counts}; params: filter params, keyword forms
THEME_COUNTS_SQL = """
WITH base AS (
    SELECT feedback_words AS nf, grade_score
    FROM answer_facts
    WHERE {where} AND feedback IS NOT NULL
),
flagged AS (SELECT grade_score, {flags} FROM base)
SELECT {counts}
FROM flagged
"""


def theme_counts(cur, filters: Filters, theme_keywords: dict | None = None) -> pd.DataFrame:
    """Per theme (in the settings' order): answers whose feedback has it, n (graded among
    them), failing, share_failing (failing / n). Themes with no answers show zeros."""
    themes = theme_forms(theme_keywords)
    cols = ["theme", "answers", "n", "failing", "share_failing"]
    if not themes:
        return pd.DataFrame(columns=cols)
    where, params = filters.where()
    flags, counts = [], []
    for i, forms in enumerate(themes.values()):
        cond, p = theme_condition(forms)
        flags.append(f"{cond} AS t{i}")
        params += p
        counts.append(
            f"count(*) FILTER (WHERE t{i}), count(grade_score) FILTER (WHERE t{i}), "
            f"count(*) FILTER (WHERE t{i} AND {IS_FAILING})"
        )
    sql = THEME_COUNTS_SQL.format(where=where, flags=", ".join(flags), counts=", ".join(counts))
    row = cur.execute(sql, params).fetchone()
    df = pd.DataFrame(
        [(t, row[3 * i], row[3 * i + 1], row[3 * i + 2]) for i, t in enumerate(themes)],
        columns=cols[:4],
    )
    for c in ("answers", "n", "failing"):
        df[c] = df[c].astype("int64")
    df["share_failing"] = (df["failing"] / df["n"].where(df["n"] > 0)).astype(float)
    return df[cols]
