"""The labels people put on rows and columns, and what they mean.

Layout detection finds things by these labels (and by the question set), never by fixed
positions. Keys are normalised with ``norm_label``.
"""

from __future__ import annotations

import datetime as dt
import re

META_LABELS: dict[str, tuple[str, ...]] = {
    "risk_level": (
        "risk level",
        "risk",
        "risk category",
        "rso risk level",
        "risk rating",
        "level of risk",
        "arms risk level",
        "risk level of case",
        "case risk level",
        "risk band",
    ),
    "case_ref": (
        "case reference",
        "case ref",
        "case ref no",
        "visor ref",
        "visor reference",
        "visor",
        "visor no",
        "visor number",
        "visor id",
        "nominal",
        "nominal ref",
        "nominal reference",
        "pnc",
        "pnc id",
        "pnc no",
        "pnc number",
        "case",
        "case id",
        "case no",
        "case number",
        "reference",
        "ref",
        "local ref",
        "local reference",
        "urn",
        "case pseudonym",
    ),
    "officer": (
        "offender manager",
        "om",
        "officer",
        "om name",
        "offender manager name",
        "responsible officer",
        "case officer",
        "author",
        "arms author",
        "assessor",
        "completed by",
        "managing officer",
        "mosovo",
        "mosovo officer",
    ),
    "reviewer": (
        "reviewer",
        "reviewed by",
        "peer reviewer",
        "reviewing officer",
        "reviewer name",
    ),
    "reviewing_force": (
        "reviewing force",
        "review force",
        "peer reviewing force",
        "reviewed by force",
        "force reviewing",
        "reviewer force",
        "reviewers force",
    ),
    "arms_completed": (
        "arms completed",
        "date of arms",
        "arms date",
        "arms completion date",
        "date arms completed",
        "arms completed on",
        "date completed",
        "arms completed date",
        "date of assessment",
        "assessment date",
    ),
    "review_date": (
        "review date",
        "date of review",
        "date reviewed",
        "peer review date",
        "date of peer review",
    ),
    "quarter": ("quarter", "review quarter", "period", "reporting period", "quarter reviewed"),
    "force": ("force", "force under review", "force reviewed", "home force", "owning force"),
}
_META_INDEX = {label: key for key, labels in META_LABELS.items() for label in labels}

GRADE_LABELS = frozenset(
    {
        "grade",
        "grading",
        "rating",
        "grade given",
        "overall grade",
        "grade awarded",
        "score",
        "outcome",
        "judgement",
        "judgment",
        "rag",
        "rag rating",
        "grade rag",
    }
)
FEEDBACK_LABELS = frozenset(
    {
        "feedback",
        "comments",
        "comment",
        "rationale",
        "reviewer comments",
        "reviewer feedback",
        "feedback comments",
        "reviewers comments",
        "evidence",
        "feedback and rationale",
        "reason",
        "reasons",
        "commentary",
    }
)
NOTES_LABELS = frozenset(
    {
        "notes",
        "note",
        "internal notes",
        "coordinator notes",
        "admin notes",
        "notes for coordinator",
        "action",
        "actions",
        "follow up",
        "follow-up",
    }
)
QUESTION_LABELS = frozenset(
    {
        "question",
        "questions",
        "qa question",
        "question text",
        "qa questions",
        "area",
        "criteria",
        "criterion",
        "standard",
        "qa tool question",
        "arms qa question",
        "quality assurance question",
        "questions asked",
    }
)
NUMBER_LABELS = frozenset(
    {
        "no",
        "number",
        "ref",
        "q",
        "question no",
        "question number",
        "id",
        "question id",
        "qid",
        "item",
        "item no",
    }
)
# the product's own tidy export (contract.md)
TIDY_REQUIRED = ("question_id", "grade")

NON_FORCE_SHEETS = frozenset(
    {
        "summary",
        "key",
        "instructions",
        "lists",
        "list",
        "rota",
        "guidance",
        "notes",
        "readme",
        "cover",
        "contents",
        "index",
        "lookup",
        "lookups",
        "data validation",
        "dropdowns",
        "chart",
        "charts",
        "dashboard",
        "overview",
        "template",
        "blank",
    }
)


def norm_label(text: object) -> str:
    """``'Risk level (L/M/H/VH):'`` -> ``'risk level'``."""
    t = str(text or "").lower().replace("&", " and ").replace("'", "")
    t = re.sub(r"\(.*?\)", " ", t)
    t = re.sub(r"[^a-z0-9]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def meta_key(text: object) -> str | None:
    """Which metadata a row label names (``'OM'`` -> ``'officer'``), or None."""
    n = norm_label(text)
    if not n or len(n) > 40:
        return None
    return _META_INDEX.get(n)


def split_label_value(text: object) -> tuple[str, str] | None:
    """``'Reviewing force: Merseyside'`` -> ``('reviewing_force', 'Merseyside')``."""
    if not isinstance(text, str) or ":" not in text:
        return None
    label, _, value = text.partition(":")
    key = meta_key(label)
    if key and value.strip():
        return key, value.strip()
    return None


_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B %y",
    "%d %b %y",
    "%B %d %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
)


def parse_date(value: object) -> dt.date | None:
    """A date from a cell: a real date, an Excel serial number, or the usual UK forms."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial day number
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        return None
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", str(value).strip())
    text = re.sub(r"\s+", " ", text.replace(",", " ")).strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def is_grade_label(lab: str) -> bool:
    """``grade``, ``Grade given``, ``Reviewer grade``, ``Rating``: a column of grades."""
    if lab in GRADE_LABELS:
        return True
    words = lab.split()
    if any(w in ("key", "keys", "scale", "guide", "guidance", "legend") for w in words):
        return False  # a grade key block, not a column of grades
    return 0 < len(words) <= 4 and (words[0] in _GRADE_WORDS or words[-1] in _GRADE_WORDS)


def is_feedback_label(lab: str) -> bool:
    if lab in FEEDBACK_LABELS:
        return True
    words = lab.split()
    return (
        0 < len(words) <= 5
        and not is_notes_label(lab)
        and any(w.startswith(("feedback", "comment", "rationale")) for w in words)
    )


def is_notes_label(lab: str) -> bool:
    return lab in NOTES_LABELS or any(w in ("note", "notes") for w in lab.split())


def is_question_label(lab: str) -> bool:
    if lab in QUESTION_LABELS:
        return True
    words = lab.split()
    return (
        0 < len(words) <= 4
        and words[0] in ("question", "questions")
        and "no" not in words[1:2]
        and "number" not in words
        and "id" not in words
    )


_GRADE_WORDS = frozenset({"grade", "grading", "rating", "graded"})
