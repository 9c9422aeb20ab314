"""What the importer produces: a plan (records to write) and its report.

Errors and warnings are values collected as the workbook is read, never raised one at a
time. Positions are given as the user sees them: sheet name and cell (``E14``).
``ImportPlan.to_json()`` is the contract's ``ingest --json`` object (contract.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from dashboard.vocab import FAILING_GRADES, GRADES_FIVE, NA, Quarter

Severity = Literal["info", "warning", "error"]


@dataclass
class Issue:
    """One finding: a slug (``kind``), a message a coordinator understands, a place."""

    kind: str  # e.g. 'grade-conflict', 'unmatched-question', 'redacted-identifier'
    message: str
    sheet: str | None = None
    cell: str | None = None
    severity: Severity = "warning"

    def to_json(self) -> dict:
        d = {"kind": self.kind, "message": self.message, "severity": self.severity}
        if self.sheet is not None:
            d["sheet"] = self.sheet
        if self.cell is not None:
            d["cell"] = self.cell
        return d

    def row(self) -> tuple:
        return (self.sheet, self.cell, self.kind)


@dataclass
class AnswerRecord:
    question_id: str
    grade: str | None  # canonical word, 'N/A', or None when no grade was given
    grade_source: str | None  # 'text' | 'colour' | 'both' | None when ungraded
    feedback: str | None
    cell: str | None  # the grade cell, e.g. 'E14'
    match_confidence: float = 1.0
    redactions: int = 0


@dataclass
class UnmatchedRow:
    """A question row that matched nothing in the question set: kept, not dropped."""

    sheet: str
    cell: str
    text: str
    grade: str | None = None
    feedback: str | None = None
    case_index: int | None = None  # which review on the sheet, when known


@dataclass
class ReviewRecord:
    force: str
    reviewing_force: str | None
    risk_level: str | None
    case_id: str | None  # keyed pseudonym, never the raw reference
    officer: str | None
    reviewer: str | None
    arms_completed: dt.date | None
    review_date: dt.date | None
    sheet: str
    source_ref: str  # e.g. 'columns C:D' or 'row 5'
    answers: list[AnswerRecord] = field(default_factory=list)
    quarter: Quarter | None = None  # per review when a layout carries it (tidy); else the plan's


@dataclass
class QuestionMatch:
    sheet: str
    cell: str
    seen: str  # the text in the workbook
    question_id: str
    confidence: float  # 0..1; 1 = exact after normalising


@dataclass
class SheetReport:
    sheet: str
    force: str | None
    skipped: bool = False
    skip_reason: str | None = None
    layout: str | None = None  # 'blocks' | 'transposed' | 'tidy' | 'single'
    cases: int = 0
    answers: int = 0
    grades_from_text: int = 0
    grades_from_colour: int = 0
    grades_from_both: int = 0
    warnings: list[Issue] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "sheet": self.sheet,
            "force": self.force,
            "cases": self.cases,
            "answers": self.answers,
            "skipped": self.skipped,
            "skip_reason": self.skip_reason,
            "layout": self.layout,
            "grade_sources": {
                "text": self.grades_from_text,
                "colour": self.grades_from_colour,
                "both": self.grades_from_both,
            },
            "warnings": [w.to_json() for w in self.warnings],
        }


@dataclass
class ImportPlan:
    """Everything read from one workbook, before anything is written."""

    file_name: str
    sha256: str
    status: Literal["ok", "rejected"] = "ok"
    reason: str | None = None  # one line when rejected
    quarter: Quarter | None = None
    quarter_source: str | None = None  # 'title', 'file name', 'sheet', 'given', 'dates'
    question_set_version: int | None = None
    reviews: list[ReviewRecord] = field(default_factory=list)
    unmatched: list[UnmatchedRow] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # workbook-level warnings and errors
    matches: list[QuestionMatch] = field(default_factory=list)  # fuzzy (confidence < 1)
    cells_read: int = 0  # grade cells examined: = answers + warnings-only + rejections

    # ------------------------------------------------------------------ derived
    @property
    def answers(self) -> list[AnswerRecord]:
        return [a for r in self.reviews for a in r.answers]

    @property
    def warnings(self) -> list[Issue]:
        out = [i for i in self.issues if i.severity != "error"]
        for s in self.sheets:
            out.extend(s.warnings)
        return out

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def forces(self) -> list[str]:
        return sorted({r.force for r in self.reviews})

    def counts(self) -> dict:
        by = Counter(a.grade for a in self.answers)
        by_grade = {
            g.name: by.get(g.name, 0) for g in GRADES_FIVE if g.name != "Adequate" or by.get(g.name)
        }
        by_grade[NA] = by.get(NA, 0)
        return {
            "reviews": len(self.reviews),
            "answers": len(self.answers),
            "by_grade": by_grade,
            "ungraded": by.get(None, 0),
            "failing": sum(by.get(g, 0) for g in FAILING_GRADES),
            "unmatched_rows": len(self.unmatched),
            "redactions": sum(a.redactions for a in self.answers),
        }

    def to_json(self, status: str | None = None) -> dict:
        """The contract's ``ingest --json`` object for this file."""
        st = status or ("rejected" if self.status == "rejected" else "dry-run")
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "status": st,
            "quarter": self.quarter.label if self.quarter else None,
            "quarter_source": self.quarter_source,
            "reason": self.reason,
            "sheets": [s.to_json() for s in self.sheets],
            "counts": self.counts(),
            "warnings": [w.to_json() for w in self.warnings],
            "errors": [e.to_json() for e in self.errors],
            "question_matches": [
                {
                    "sheet": m.sheet,
                    "cell": m.cell,
                    "seen": m.seen,
                    "question_id": m.question_id,
                    "confidence": round(m.confidence, 2),
                }
                for m in self.matches
            ],
            "unmatched": [
                {"sheet": u.sheet, "cell": u.cell, "text": u.text} for u in self.unmatched
            ],
        }

    def rows(self) -> list[tuple]:
        """Every finding flattened as (sheet, cell, kind): tests assert on this in one line."""
        return [i.row() for i in self.issues] + [w.row() for s in self.sheets for w in s.warnings]


def rejected(file_name: str, sha256: str, reason: str, kind: str = "refused") -> ImportPlan:
    plan = ImportPlan(file_name=file_name, sha256=sha256, status="rejected", reason=reason)
    plan.issues.append(Issue(kind, reason, severity="error"))
    return plan
