"""A hand-made review database for analysis tests: reviews and answers inserted directly
with SQL into an on-disk DuckDB made by ``store.connect``, so every expected number can be
worked out by hand from the test that builds it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dashboard import store
from dashboard.vocab import (
    ADEQUATE,
    GOOD,
    INADEQUATE,
    NA,
    OUTSTANDING,
    REQUIRES_IMPROVEMENT,
    Quarter,
    grade_score,
)

# short names for the grade words (spelt once, in vocab)
O = OUTSTANDING.name  # noqa: E741
G = GOOD.name
A = ADEQUATE.name
RI = REQUIRES_IMPROVEMENT.name
I = INADEQUATE.name  # noqa: E741
NA_ = NA
UNGRADED = None

FIRST = Quarter(2023, 2)  # 2023/24 Q2, where the network's data starts


def q(i: int) -> Quarter:
    """The i-th quarter from the first (0 = 2023/24 Q2)."""
    return Quarter.from_index(FIRST.index + i)


class FixtureDB:
    def __init__(self, path: Path):
        self.path = path
        self.con = store.connect(path)
        self._review_id = 0
        self._case = 0
        self.con.execute(
            "INSERT INTO imports (import_id, file_name, sha256, imported_by, imported_at, status)"
            " VALUES (1, 'fixture.xlsx', 'fixture', 'test', ?, 'imported')",
            [dt.datetime(2025, 1, 1)],
        )

    def cur(self):
        return self.con.cursor()

    def review(
        self,
        quarter: int | Quarter,
        force: str,
        answers: dict[str, object],
        *,
        risk_level: str | None = "Low",
        reviewing_force: str | None = "Cumbria",
        officer: str | None = None,
        active: bool = True,
    ) -> int:
        """Add one review; ``answers`` maps question id to a grade or (grade, feedback)."""
        qq = quarter if isinstance(quarter, Quarter) else q(quarter)
        self._review_id += 1
        self._case += 1
        rid = self._review_id
        self.con.execute(
            "INSERT INTO reviews (review_id, import_id, active, quarter, quarter_idx, quarter_start,"
            " force, reviewing_force, risk_level, case_id, officer, question_set_version)"
            " VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [
                rid,
                active,
                qq.label,
                qq.index,
                qq.start,
                force,
                reviewing_force,
                risk_level,
                f"case-{self._case:04d}",
                officer,
            ],
        )
        rows = []
        for qid, value in answers.items():
            grade, feedback = value if isinstance(value, tuple) else (value, None)
            rows.append([rid, qid, grade, grade_score(grade), "text" if grade else None, feedback])
        if rows:
            self.con.executemany(
                "INSERT INTO answers (review_id, question_id, grade, grade_score, grade_source,"
                " feedback) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
        store.refresh_facts(self.cur(), review_ids=[rid])
        return rid

    def clear(self) -> None:
        """Remove every review and answer (and their facts)."""
        self.con.execute("DELETE FROM answers")
        self.con.execute("DELETE FROM reviews")
        store.refresh_facts(self.cur())

    def same(self, quarter, force, qid: str, grades: list, **kw) -> list[int]:
        """One review per grade, each answering only ``qid``."""
        return [self.review(quarter, force, {qid: g}, **kw) for g in grades]
