"""Searching the written feedback, and counting it by theme.

Search text: words are AND-ed, "quoted phrases" are kept whole; each is matched with
ILIKE (``%`` and ``_`` escaped) as a bound parameter. A theme is a list of keywords; an
answer has a theme when its feedback contains any keyword at the start of a word
(case-insensitive), matched with ``regexp_matches(lower(feedback), ?)`` and a bound pattern.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.filters import Filters
from analysis.measures import IS_FAILING, N_GRADED, QUESTION_LABELS, run
from dashboard.settings import Settings

_RE2_SPECIAL = set("\\.^$|?*+()[]{}")


def _escape_regex(text: str) -> str:
    return "".join("\\" + ch if ch in _RE2_SPECIAL else ch for ch in text)


def theme_pattern(keywords: list[str] | tuple[str, ...]) -> str | None:
    """A lower-case regular expression matching any keyword at a word start; None if none."""
    parts = []
    for kw in keywords:
        k = " ".join(str(kw).lower().split())
        if not k:
            continue
        parts.append(("\\b" if re.match(r"\w", k) else "") + _escape_regex(k))
    return "(?:" + "|".join(parts) + ")" if parts else None


def _themes(theme_keywords: dict | None) -> dict[str, str]:
    """theme -> pattern, for themes with at least one keyword."""
    tk = Settings().themes if theme_keywords is None else theme_keywords
    out = {}
    for theme, kws in tk.items():
        pat = theme_pattern(kws if isinstance(kws, (list, tuple)) else str(kws).split("|"))
        if pat:
            out[str(theme)] = pat
    return out


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


# {where} {conditions}
SEARCH_SQL = f"""
WITH {QUESTION_LABELS}
SELECT f.quarter, f.force, f.reviewing_force, f.risk_level, f.officer, f.question_id,
       f.section, coalesce(l.question, f.question) AS question, f.grade, f.feedback,
       f.grade_score, f.case_id, f.quarter_idx, f.review_id
FROM answer_facts f
LEFT JOIN question_labels l USING (question_id)
WHERE {{where}} AND f.feedback IS NOT NULL AND trim(f.feedback) <> ''{{conditions}}
ORDER BY f.quarter_idx DESC, f.force, f.section_no, f.ordinal, f.question_id, f.review_id
{{limit}}
"""


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
    for term in search_terms(text):
        conditions.append("f.feedback ILIKE ? ESCAPE '\\'")
        params.append(_like(term))
    if grades:
        conditions.append("list_contains(?, f.grade)")
        params.append([str(g) for g in grades])
    if themes:
        patterns = _themes(theme_keywords)
        chosen = [patterns[t] for t in themes if t in patterns]
        if not chosen:
            conditions.append("FALSE")
        else:
            conditions.append("regexp_matches(lower(f.feedback), ?)")
            params.append("|".join(chosen))
    cond = "".join(f" AND {c}" for c in conditions)
    lim = ""
    if limit is not None:
        lim = "LIMIT ?"
        params.append(int(limit))
    return run(cur, SEARCH_SQL.format(where=where, conditions=cond, limit=lim), params)


def themed_answers_sql(n_themes: int, source: str) -> str:
    """SQL listing each row of ``source`` (with a ``lf`` lower-cased feedback column) once per
    matching theme, as ``theme``; params: (pattern, theme name) per theme."""
    cases = ", ".join(["CASE WHEN regexp_matches(lf, ?) THEN ? END"] * n_themes)
    return (
        f"SELECT * EXCLUDE (themes), unnest(themes) AS theme FROM ("
        f"SELECT *, list_filter([{cases}], lambda x: x IS NOT NULL) AS themes FROM {source}"
        f" WHERE lf IS NOT NULL)"
    )


THEME_COUNTS_SQL = f"""
WITH base AS (
    SELECT lower(feedback) AS lf, grade_score
    FROM answer_facts
    WHERE {{where}}
),
themed AS ({{themed}})
SELECT theme, count(*) AS answers, {N_GRADED} AS n,
       count(*) FILTER (WHERE {IS_FAILING}) AS failing
FROM themed
GROUP BY theme
"""


def theme_counts(cur, filters: Filters, theme_keywords: dict | None = None) -> pd.DataFrame:
    """Per theme (in the settings' order): answers whose feedback has it, n (graded among
    them), failing, share_failing (failing / n). Themes with no answers show zeros."""
    patterns = _themes(theme_keywords)
    cols = ["theme", "answers", "n", "failing", "share_failing"]
    if not patterns:
        return pd.DataFrame(columns=cols)
    where, params = filters.where()
    sql = THEME_COUNTS_SQL.format(where=where, themed=themed_answers_sql(len(patterns), "base"))
    for theme, pat in patterns.items():
        params += [pat, theme]
    got = run(cur, sql, params).set_index("theme")
    df = pd.DataFrame({"theme": list(patterns)})
    for c in ("answers", "n", "failing"):
        df[c] = df["theme"].map(got[c]).fillna(0).astype("int64")
    df["share_failing"] = (df["failing"] / df["n"].where(df["n"] > 0)).astype(float)
    return df[cols]
