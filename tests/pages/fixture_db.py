"""A small database built with SQL inserts, with numbers the page tests can check.

Six forces x four risk levels x six quarters (2023/24 Q2 .. 2024/25 Q3), every question of
the illustrative set. Grades follow simple rules so the tests know the answers:

- everyone is Good, except
- Cumbria is Inadequate on question 6.3 in the last three quarters (a current repeat failure);
- question 4.1 is Requires improvement for every force's High-risk case (weak across the region);
- Merseyside is Outstanding on 2.1 in every quarter (good practice);
- Lancashire's officer "PC Avery" is Requires improvement on 2.2 in every review;
- one feedback text carries Markdown/HTML/formula look-alikes that must stay plain text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dashboard import store
from dashboard.questions import active_version, load_questions
from dashboard.vocab import (
    GOOD,
    INADEQUATE,
    OUTSTANDING,
    REQUIRES_IMPROVEMENT,
    RISK_LEVELS,
    Quarter,
    default_forces,
)

QUARTERS = [Quarter(2023, 2).index + i for i in range(6)]
FORCES = list(default_forces().names)
NASTY = '<b>bold</b> **not bold** [link](http://x) =HYPERLINK("http://x")'


def grade_for(force: str, q_idx: int, risk: str, qid: str, officer: str):
    last3 = q_idx >= QUARTERS[-3]
    if force == "Cumbria" and qid == "6.3" and last3:
        return INADEQUATE
    if qid == "4.1" and risk == "High":
        return REQUIRES_IMPROVEMENT
    if force == "Merseyside" and qid == "2.1":
        return OUTSTANDING
    if officer == "PC Avery" and qid == "2.2":
        return REQUIRES_IMPROVEMENT
    return GOOD


def officer_for(force: str, risk: str) -> str:
    if force == "Lancashire" and risk in ("Low", "Medium"):
        return "PC Avery"
    return f"{force[:3]} officer {RISK_LEVELS.index(risk) + 1}"


def build(path: Path | str, demo: bool = False, quarters: list[int] | None = None):
    con = store.connect(path)
    version = active_version(con)
    questions = load_questions(con, version)
    quarters = quarters or QUARTERS
    with store.transaction(con) as cur:
        cur.execute(
            "INSERT INTO imports (import_id, file_name, sha256, imported_by, imported_at, status, is_demo) "
            "VALUES (1, 'fixture.xlsx', 'x', 'test', ?, 'imported', ?)",
            [dt.datetime(2025, 1, 1), demo],
        )
        review_rows, answer_rows = [], []
        rid = 0
        for qi in quarters:
            q = Quarter.from_index(qi)
            for fi, force in enumerate(FORCES):
                reviewer = FORCES[(fi + 1 + (qi % 5)) % len(FORCES)]
                if reviewer == force:
                    reviewer = FORCES[(fi + 1) % len(FORCES)]
                for risk in RISK_LEVELS:
                    rid += 1
                    officer = officer_for(force, risk)
                    review_rows.append(
                        [
                            rid,
                            1,
                            True,
                            None,
                            q.label,
                            qi,
                            q.start,
                            force,
                            reviewer,
                            risk,
                            f"case-{rid:04d}",
                            officer,
                            "reviewer",
                            None,
                            None,
                            version,
                            force,
                            None,
                        ]
                    )
                    for qu in questions:
                        g = grade_for(force, qi, risk, qu.question_id, officer)
                        fb = f"{g.name} feedback for {qu.question_id} ({force}, {q.label}, {risk})"
                        if (
                            force == "Cumbria"
                            and qu.question_id == "6.3"
                            and qi == quarters[-1]
                            and risk == "Low"
                        ):
                            fb = NASTY
                        answer_rows.append(
                            [
                                rid,
                                qu.question_id,
                                g.name,
                                g.score,
                                "both",
                                fb,
                                1.0,
                                f"E{10 + qu.ordinal}",
                                0,
                            ]
                        )
        cur.executemany("INSERT INTO reviews VALUES (" + ",".join("?" * 18) + ")", review_rows)
        cur.executemany("INSERT INTO answers VALUES (" + ",".join("?" * 9) + ")", answer_rows)
        store.refresh_facts(cur)
    return con
