"""The validation report's tables and lines, from an ImportPlan built by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.importer.model import (
    AnswerRecord,
    ImportPlan,
    Issue,
    QuestionMatch,
    ReviewRecord,
    SheetReport,
    UnmatchedRow,
    rejected,
)
from dashboard.settings import Settings
from dashboard.ui import upload
from dashboard.ui.text import plain
from dashboard.vocab import Quarter


def _plan() -> ImportPlan:
    review = ReviewRecord(
        force="Cheshire",
        reviewing_force="Merseyside",
        risk_level="Low",
        case_id="c1",
        officer="DC Hart",
        reviewer="DS Okafor",
        arms_completed=None,
        review_date=None,
        sheet="Cheshire",
        source_ref="columns C:D",
        answers=[
            AnswerRecord("1.1", "Good", "both", "ok", "C10"),
            AnswerRecord(
                "1.2", "Inadequate", "colour", "Seen 19/1234567A [redacted]", "C11", redactions=1
            ),
            AnswerRecord("1.3", "N/A", "text", None, "C12"),
            AnswerRecord("1.4", None, None, None, "C13"),
        ],
    )
    sheets = [
        SheetReport(
            "Cheshire",
            "Cheshire",
            layout="blocks",
            cases=1,
            answers=4,
            grades_from_text=1,
            grades_from_colour=1,
            grades_from_both=1,
            warnings=[
                Issue(
                    "grade-conflict",
                    "Text says Good, colour says red: text wins",
                    "Cheshire",
                    "E14",
                )
            ],
        ),
        SheetReport("Key", None, skipped=True, skip_reason="not a force sheet"),
    ]
    return ImportPlan(
        file_name="q2.xlsx",
        sha256="ab" * 32,
        quarter=Quarter(2024, 2),
        quarter_source="title",
        reviews=[review],
        sheets=sheets,
        unmatched=[UnmatchedRow("Cheshire", "B30", "An extra local question", "Good", "fine")],
        matches=[
            QuestionMatch("Cheshire", "B10", "Was ARMS done on time", "1.1", 0.82),
            QuestionMatch("Cheshire", "B11", "Supervisor sign off?", "1.2", 0.95),
        ],
        issues=[Issue("redacted-identifier", "A PNC ID was redacted", "Cheshire", "D11")],
    )


def test_sheet_table_says_which_force_each_sheet_is_or_why_it_was_skipped():
    t = upload.sheet_table(_plan())
    assert list(t["sheet"]) == ["Cheshire", "Key"]
    assert t.loc[0, "force"] == "Cheshire" and t.loc[0, "read"] == "read"
    assert t.loc[1, "read"] == "skipped: not a force sheet"
    assert (t.loc[0, "grade from text"], t.loc[0, "from colour"], t.loc[0, "from both"]) == (
        1,
        1,
        1,
    )


def test_every_grade_cell_is_counted():
    t = upload.grade_counts_table(_plan())
    row = t.iloc[0]
    assert row["Good"] == 1 and row["Inadequate"] == 1 and row["N/A"] == 1
    assert row["no grade"] == 1 and row["total answers"] == 4


def test_warning_table_lists_sheet_cell_kind_message():
    t = upload.warning_table(_plan())
    assert list(t.columns) == ["sheet", "cell", "kind", "severity", "message"]
    assert set(zip(t["sheet"], t["cell"], t["kind"], strict=True)) == {
        ("Cheshire", "D11", "redacted-identifier"),
        ("Cheshire", "E14", "grade-conflict"),
    }


def test_only_low_confidence_matches_are_listed_weakest_first():
    t = upload.match_table(
        _plan(), Settings(low_match_confidence=0.9), {"1.1": "Completed on time?"}
    )
    assert list(t["matched question"]) == ["1.1"]
    assert t.iloc[0]["question set text"] == "Completed on time?"
    assert len(upload.match_table(_plan(), Settings(low_match_confidence=0.99))) == 2


def test_unmatched_rows_are_shown_not_dropped():
    t = upload.unmatched_table(_plan())
    assert t.iloc[0][["sheet", "cell", "text"]].tolist() == [
        "Cheshire",
        "B30",
        "An extra local question",
    ]


def test_redaction_line_counts_identifiers_and_answers():
    assert upload.redaction_line(_plan()).startswith("1 identifier (PNC IDs or case references)")
    plan = _plan()
    for a in plan.answers:
        a.redactions = 0
    assert upload.redaction_line(plan) is None


def test_summary_line_names_quarter_source_and_counts():
    line = upload.summary_line(_plan())
    assert line.startswith("2024/25 Q2 (from the title)")
    assert "1 force " in line + " " and "1 reviews" in line and "4 answers" in line
    assert "1 unmatched row kept for review" in line and "1 identifier redacted" in line


def test_refused_plan_reads_as_one_line_and_cannot_be_imported():
    plan = rejected(
        "old.xls", "00" * 32, "old.xls is a legacy Excel 97-2003 file (.xls): save it as .xlsx"
    )
    entry = upload.Entry("old.xls", b"x", "00" * 32, plan)
    assert upload.summary_line(plan) == (
        "Refused: old.xls is a legacy Excel 97-2003 file (.xls): save it as .xlsx"
    )
    assert upload.can_import(entry) == (False, plan.reason)


def test_import_needs_a_quarter_and_no_duplicate():
    plan = _plan()
    entry = upload.Entry("q2.xlsx", b"x", plan.sha256, plan)
    assert upload.can_import(entry) == (True, None)
    entry.effects = {
        "duplicate_of": {
            "import_id": 3,
            "file_name": "q2.xlsx",
            "imported_at": dt.datetime(2025, 1, 2, 9, 30),
        }
    }
    assert upload.can_import(entry) == (False, "already imported")
    plan.quarter = None
    entry.effects = {}
    assert upload.can_import(entry) == (False, "choose the quarter first")


def test_effects_lines_say_duplicate_and_what_a_resend_replaces():
    dup, lines = upload.effects_lines(
        {
            "duplicate_of": {
                "import_id": 3,
                "file_name": "q2.xlsx",
                "imported_at": dt.datetime(2025, 1, 2, 9, 30),
            },
            "replaces": [
                {
                    "quarter": "2024/25 Q2",
                    "force": "Cumbria",
                    "import_id": 2,
                    "file_name": "first.xlsx",
                    "reviews": 4,
                }
            ],
        }
    )
    assert "import #3 (q2.xlsx, 02 Jan 2025 09:30)" in dup
    assert lines == [
        "Replaces Cumbria 2024/25 Q2: 4 reviews from import #2 (first.xlsx). "
        "The history keeps both."
    ]
    assert upload.effects_lines({"duplicate_of": None, "replaces": []}) == (None, [])


def test_result_line_after_import():
    line = upload.result_line(
        {
            "file": "q2.xlsx",
            "status": "imported",
            "import_id": 7,
            "quarter": "2024/25 Q2",
            "counts": {"reviews": 24, "answers": 576},
            "replaced": [{"quarter": "2024/25 Q2", "force": "Cumbria", "import_id": 2}],
        }
    )
    assert line == (
        "Imported q2.xlsx as import #7: 2024/25 Q2, 24 reviews, 576 answers. "
        "Replaced earlier data for Cumbria 2024/25 Q2 (import #2)."
    )
    assert "nothing was written" in upload.result_line({"file": "q2.xlsx", "status": "duplicate"})


def test_quarter_options_cover_detected_and_today_newest_first():
    opts = upload.quarter_options(Quarter(2022, 3), ["2024/25 Q1"], today=dt.date(2025, 5, 1))
    assert opts[0] == "2025/26 Q2"  # the quarter after today's
    assert opts[-1] == "2022/23 Q3"  # the detected one, older than 2023/24 Q1
    assert "2024/25 Q1" in opts and len(opts) == len(set(opts))


def test_history_table_shortens_hash_and_hides_the_raw_report():
    h = pd.DataFrame(
        [
            {
                "import_id": 1,
                "file_name": "a.xlsx",
                "sha256": "f" * 64,
                "imported_by": "amy",
                "imported_at": dt.datetime(2025, 1, 1),
                "status": "undone",
                "quarter": "2024/25 Q2",
                "reviews": 24,
                "answers": 500,
                "report_json": "{}",
            },
            {
                "import_id": 2,
                "file_name": "b.xlsx",
                "sha256": "e" * 64,
                "imported_by": "bob",
                "imported_at": dt.datetime(2025, 1, 2),
                "status": "imported",
                "quarter": "2024/25 Q3",
                "reviews": 24,
                "answers": 500,
                "report_json": "{}",
            },
        ]
    )
    t = upload.history_table(h)
    assert list(t["import"]) == [2, 1] and t.loc[0, "SHA-256"] == "e" * 12
    assert "report_json" not in t.columns and {"who", "when", "file", "status"} <= set(t.columns)
    assert [r["import_id"] for r in upload.undoable(h)] == [2]


def test_plain_makes_markdown_and_html_inert_and_one_line():
    s = plain("**bold** <b>x</b> [a](http://x)\n:red[y] $x$")
    assert "\n" not in s
    for ch in "*<>[]():$":
        assert f"\\{ch}" in s
