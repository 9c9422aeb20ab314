"""Workbooks for the upload tests, built in code through the project's own regional writer
and demo generator (real .xlsx bytes)."""

from __future__ import annotations

import random

from dashboard.demo import generate_quarter
from dashboard.exports.regional import Style, write_regional
from dashboard.questions import ILLUSTRATIVE_FILE, parse_question_file
from dashboard.vocab import Quarter, default_forces

Q2 = Quarter(2024, 2)


def _sheets(quarter: Quarter, seed: int, forces: tuple[str, ...] | None):
    questions = parse_question_file(ILLUSTRATIVE_FILE.read_bytes(), ILLUSTRATIVE_FILE.name)
    sheets = generate_quarter(random.Random(seed), 0, quarter, questions, default_forces())
    if forces:
        sheets = [s for s in sheets if s.force in forces]
    return sheets, questions


def good_workbook(
    quarter: Quarter = Q2, seed: int = 1, forces: tuple[str, ...] | None = None
) -> bytes:
    """The canonical regional workbook: a tab per force, four cases each, title names the quarter."""
    sheets, questions = _sheets(quarter, seed, forces)
    return write_regional(sheets, quarter, questions, default_forces(), Style())


def no_quarter_workbook(seed: int = 1) -> bytes:
    """Two forces, no quarter in the title and no ARMS dates: the quarter must be chosen."""
    sheets, questions = _sheets(Q2, seed, ("Cheshire", "Cumbria"))
    for s in sheets:
        for c in s.cases:
            c.arms_completed = None
    return write_regional(sheets, None, questions, default_forces(), Style())


NOT_A_WORKBOOK = b"force,question,grade\nCheshire,1.1,Good\n"


def reworded_workbook(seed: int = 1) -> bytes:
    """Cumbria only; questions 1.1 and 1.2 reworded, plus a local question that matches
    nothing in the set (graded Good in all four cases)."""
    import dataclasses

    from dashboard.questions import Question

    sheets, questions = _sheets(Q2, seed, ("Cumbria",))
    qs = list(questions)
    qs[0] = dataclasses.replace(qs[0], text="Was the ARMS done within the timescale required")
    qs[1] = dataclasses.replace(qs[1], text="Supervisor oversight & sign off of ARMS evident?")
    qs.append(Question("9.9", 7, qs[-1].section, "Has the local weather been considered?", 99))
    for case in sheets[0].cases:
        case.answers["9.9"] = ("Good", "Local question")
    return write_regional(sheets, Q2, qs, default_forces(), Style())
