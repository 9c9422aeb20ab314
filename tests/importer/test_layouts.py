"""The canonical layout and the twelve variations of workbooks.md import, saying what they did."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from dashboard.importer import read_workbook
from dashboard.vocab import NA
from tests.importer import workbooks as wbs
from tests.importer.conftest import counts_add_up, grades_read, grades_written


def read(con, data, name="ARMS 2024-25 Q2.xlsx", **kw):
    plan = read_workbook(data, name, con, **kw)
    assert plan.status == "ok", plan.reason
    assert counts_add_up(plan)
    return plan


def test_canonical_regional_workbook_reads_every_case_and_grade(con):
    data, cases = wbs.canonical()
    plan = read(con, data)
    assert plan.quarter.label == "2024/25 Q2" and plan.quarter_source == "title"
    assert plan.counts()["reviews"] == 24 and plan.counts()["answers"] == 24 * len(wbs.QUESTIONS)
    assert grades_read(plan) == grades_written(cases)
    assert {s.sheet: (s.force, s.layout, s.cases) for s in plan.sheets}["Cheshire"] == (
        "Cheshire",
        "blocks",
        4,
    )
    r = next(r for r in plan.reviews if r.force == "Cheshire" and r.risk_level == "High")
    src = cases["Cheshire"][2]
    assert r.reviewing_force == "Merseyside"
    assert r.officer == src.officer and r.reviewer == src.reviewer
    assert r.arms_completed == src.arms_completed
    assert r.source_ref == "columns G:H"
    assert r.case_id.startswith("C-") and r.case_id != src.case_ref
    assert {a.grade_source for a in r.answers} <= {"both", "text"}  # N/A is text only
    assert r.answers[0].feedback == src.feedback["1.1"]
    assert not plan.warnings


def test_no_raw_case_reference_anywhere_in_the_plan(con):
    data, cases = wbs.canonical(n_forces=2)
    plan = read(con, data)
    dumped = repr(plan) + repr(plan.to_json())
    for cs in cases.values():
        for c in cs:
            assert c.case_ref not in dumped


# ------------------------------------------------------------------ 1. text or colour only


@pytest.mark.parametrize(
    "mode, source",
    [
        ("colour", "colour"),
        ("text", "text"),
        ("colour_comment", "colour"),
        ("colour_note", "colour"),
    ],
)
def test_grade_by_colour_only_or_text_only(con, mode, source):
    cases = {"Lancashire": wbs.make_cases("Lancashire")}
    plan = read(con, wbs.build_blocks(cases, wbs.Blocks(grade_mode=mode)))
    assert grades_read(plan) == grades_written(cases)
    graded = [a for a in plan.answers if a.grade not in (None, NA)]
    assert graded and {a.grade_source for a in graded} == {source}
    if mode == "colour_comment":  # the words in the cell are kept with the feedback
        assert all("see feedback" in a.feedback for a in graded)
    if mode == "colour_note":
        assert all("Reviewer note on this grade" in a.feedback for a in graded)


# ------------------------------------------------------------------ 2. words people type


@pytest.mark.parametrize(
    "typed",
    [
        {"Outstanding": "O", "Good": "G", "Requires improvement": "RI", "Inadequate": "I"},
        {
            "Outstanding": "outstanding",
            "Good": "good ",
            "Requires improvement": "R/I",
            "Inadequate": "Inadequate ",
        },
        {"Outstanding": 4, "Good": 3, "Requires improvement": 2, "Inadequate": 1},
        {
            "Outstanding": "OUTSTANDING",
            "Good": "Gd",
            "Requires improvement": "Req. Imp.",
            "Inadequate": "inadequate",
        },
        {
            "Outstanding": "Outstandng",
            "Good": "Good (green)",
            "Requires improvement": "requires improvement",
            "Inadequate": "I",
        },
    ],
)
def test_abbreviated_mistyped_and_numeric_grades(con, typed):
    cases = {"Cumbria": wbs.make_cases("Cumbria")}
    na_words = iter(["N/A", "Not applicable", "n/a", "NA"] * 50)
    spec = wbs.Blocks(
        grade_mode="text", grade_text=lambda g: next(na_words) if g == NA else typed[g]
    )
    plan = read(con, wbs.build_blocks(cases, spec))
    assert grades_read(plan) == grades_written(cases)
    assert plan.counts()["by_grade"][NA] == sum(
        g == NA for c in cases["Cumbria"] for g in c.grades.values()
    )


# ------------------------------------------------------------------ 3. shades


PALE = {
    "Outstanding": "FFFF99",
    "Good": "C6EFCE",
    "Requires improvement": "FFEB9C",
    "Inadequate": "FFC7CE",
}
PURE = {
    "Outstanding": "FFFF00",
    "Good": "00B050",
    "Requires improvement": "FFC000",
    "Inadequate": "FF0000",
}


@pytest.mark.parametrize(
    "shade",
    [
        lambda g: wbs.fill(PALE[g]),
        lambda g: wbs.fill(PURE[g]),
        # theme colours with tints (default Office theme) and a legacy indexed yellow
        lambda g: {
            "Outstanding": wbs.indexed_fill(13),
            "Good": wbs.theme_fill(6, 0.4),
            "Requires improvement": wbs.theme_fill(9, -0.25),
            "Inadequate": wbs.theme_fill(5),
        }[g],
    ],
)
def test_many_shades_classified_by_hue(con, shade):
    cases = {"Merseyside": wbs.make_cases("Merseyside")}
    plan = read(con, wbs.build_blocks(cases, wbs.Blocks(grade_mode="colour", shade=shade)))
    assert grades_read(plan) == {
        k: {q: (None if g == NA else g) for q, g in v.items()}
        for k, v in grades_written(cases).items()
    } or grades_read(plan) == grades_written(cases)


def test_theme_colours_come_from_the_workbooks_own_theme(con):
    from openpyxl.writer.theme import theme_xml

    wb = Workbook()
    ws = wb.active
    ws.title = "Cheshire"
    ws.append(["Reviewing force", "", "Lancashire"])
    ws.append(["Risk level", "", "Low"])
    ws.append(["No.", "Question", "Grade", "Feedback"])
    q = wbs.QUESTIONS[0]
    ws.append([q.question_id, q.text, None, "fine"])
    # accent1 (theme index 4) is blue in Office's theme, green in this workbook's theme
    ws["C4"].fill = wbs.theme_fill(4)
    wb.loaded_theme = theme_xml.replace(
        '<a:srgbClr val="4F81BD"/>', '<a:srgbClr val="00B050"/>'
    ).encode()
    plan = read(con, wbs.to_bytes(wb), quarter="2024/25 Q2")
    assert plan.answers[0].grade == "Good" and plan.answers[0].grade_source == "colour"


def test_text_wins_over_colour_and_the_conflict_names_the_cell(con):
    cases = {"Cheshire": wbs.make_cases("Cheshire", 1)}
    cases["Cheshire"][0].grades["1.1"] = "Good"
    data = wbs.build_blocks(cases, wbs.Blocks(grade_mode="text"))
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    wb["Cheshire"]["C10"].fill = wbs.fill("FF0000")  # red behind the word Good
    plan = read(con, wbs.to_bytes(wb))
    a = next(a for a in plan.answers if a.question_id == "1.1")
    assert (a.grade, a.grade_source) == ("Good", "text")
    assert ("Cheshire", "C10", "grade-conflict") in plan.rows()


def test_unreadable_grade_text_is_kept_ungraded_with_a_warning(con):
    cases = {"Cheshire": wbs.make_cases("Cheshire", 1)}
    cases["Cheshire"][0].grades["1.1"] = "see me"
    plan = read(con, wbs.build_blocks(cases, wbs.Blocks(grade_mode="text")))
    a = next(a for a in plan.answers if a.question_id == "1.1")
    assert a.grade is None and "see me" in a.feedback
    assert ("Cheshire", "C10", "grade-not-understood") in plan.rows()
    assert plan.counts()["ungraded"] == 1


# ------------------------------------------------------------------ 4. metadata


def test_metadata_in_another_order_with_other_labels(con):
    cases = {"Lancashire": wbs.make_cases("Lancashire")}
    meta = (
        ("OM", "officer"),
        ("RSO risk level", "risk_level"),
        ("Reviewed by", "reviewer"),
        ("ViSOR ref", "case_ref"),
        ("Date of ARMS", "arms_completed"),
    )
    plan = read(
        con, wbs.build_blocks(cases, wbs.Blocks(meta=meta, reviewing_label="Reviewing force:"))
    )
    got = {(r.risk_level, r.officer, r.reviewer, r.arms_completed) for r in plan.reviews}
    want = {(c.risk_level, c.officer, c.reviewer, c.arms_completed) for c in cases["Lancashire"]}
    assert got == want
    assert grades_read(plan) == grades_written(cases)
    assert {r.reviewing_force for r in plan.reviews} == {"Cumbria"}


@pytest.mark.parametrize(
    "labels",
    [
        ("Risk", "Nominal", "Officer"),
        ("Risk category", "Case ref", "Offender manager"),
        ("Risk level", "PNC", "OM"),
    ],
)
def test_other_label_words(con, labels):
    cases = {"Cumbria": wbs.make_cases("Cumbria", 2)}
    meta = ((labels[0], "risk_level"), (labels[1], "case_ref"), (labels[2], "officer"))
    plan = read(con, wbs.build_blocks(cases, wbs.Blocks(meta=meta)))
    assert [(r.risk_level, r.officer) for r in plan.reviews] == [
        (c.risk_level, c.officer) for c in cases["Cumbria"]
    ]
    assert all(r.case_id and r.case_id.startswith("C-") for r in plan.reviews)


def test_missing_metadata_rows_import_with_warnings(con):
    cases = {"Cumbria": wbs.make_cases("Cumbria", 2)}
    plan = read(
        con,
        wbs.build_blocks(
            cases, wbs.Blocks(meta=(("Offender manager", "officer"),), reviewing_label=None)
        ),
    )
    assert len(plan.reviews) == 2 and all(
        r.risk_level is None and r.case_id is None for r in plan.reviews
    )
    kinds = {k for _s, _c, k in plan.rows()}
    assert {"no-risk-level", "no-case-reference"} <= kinds


# ------------------------------------------------------------------ 5. sheet names


def test_sheet_names_as_aliases_and_with_noise(con):
    names = {
        "Greater Manchester": "GMP",
        "Lancashire": "Lancs",
        "North Wales": "N Wales",
        "Cumbria": "Cumbria ",
        "Merseyside": "Merseyside Q2",
        "Cheshire": "Cheshire Constabulary",
    }
    data, cases = wbs.canonical(spec=wbs.Blocks(sheet_names=names))
    plan = read(con, data)
    assert {s.sheet: s.force for s in plan.sheets} == {v: k for k, v in names.items()}
    assert grades_read(plan) == grades_written(cases)


# ------------------------------------------------------------------ 6. non-force sheets


def test_non_force_and_hidden_sheets_are_skipped_and_listed(con):
    data, cases = wbs.canonical(
        n_forces=2,
        spec=wbs.Blocks(
            extra_sheets=("Summary", "Key", "Instructions", "Rota"), hidden_sheets=("Lists",)
        ),
    )
    plan = read(con, data)
    skipped = {s.sheet: s.skip_reason for s in plan.sheets if s.skipped}
    assert set(skipped) == {"Summary", "Key", "Instructions", "Rota", "Lists"}
    assert skipped["Lists"] == "hidden sheet"
    assert plan.counts()["reviews"] == 8
    js = plan.to_json()
    assert {s["sheet"] for s in js["sheets"] if s["skipped"]} == set(skipped)


# ------------------------------------------------------------------ 7. question text


def test_question_text_differences_match_with_confidence(con):
    def noisy(q):
        n = int(q.question_id.split(".")[1])
        t = q.text
        if n == 1:
            return f"Q{q.section_no}.{n}) " + t.upper()  # other numbering, case
        if n == 2:
            return t.replace("?", "").replace(",", "") + " ."  # punctuation
        if n == 3:
            return t[: max(20, len(t) * 2 // 3)]  # truncated
        return t

    cases = {"Cheshire": wbs.make_cases("Cheshire")}
    plan = read(con, wbs.build_blocks(cases, wbs.Blocks(question_text=noisy, number_col=False)))
    assert grades_read(plan) == grades_written(cases)
    assert not plan.unmatched
    conf = {a.question_id: a.match_confidence for a in plan.answers}
    assert conf["1.1"] == 1.0 and conf["2.2"] == 1.0  # numbering, case, punctuation: same words
    assert 0.85 < conf["1.3"] < 1.0  # truncated: matched, with less confidence


def test_a_word_changed_still_matches(con):
    q = next(q for q in wbs.QUESTIONS if q.question_id == "6.4")
    cases = {"Cheshire": wbs.make_cases("Cheshire", 1)}
    plan = read(
        con,
        wbs.build_blocks(
            cases,
            wbs.Blocks(
                question_text=lambda x: (
                    "Are the actions specific, owned and timed?" if x is q else x.text
                )
            ),
        ),
    )
    assert grades_read(plan) == grades_written(cases)
    assert 0.9 <= next(a for a in plan.answers if a.question_id == "6.4").match_confidence < 1


def test_a_reworded_question_matches_and_is_listed_to_check(con):
    q = next(q for q in wbs.QUESTIONS if q.question_id == "6.4")
    cases = {"Cheshire": wbs.make_cases("Cheshire", 1)}
    plan = read(
        con,
        wbs.build_blocks(
            cases,
            wbs.Blocks(
                question_text=lambda x: (
                    "Are the actions specific and owned, with dates?" if x is q else x.text
                )
            ),
        ),
    )
    assert grades_read(plan) == grades_written(cases)
    (m,) = plan.matches  # below the 'check this' confidence: listed for a person
    assert (m.question_id, m.cell, m.seen) == (
        "6.4",
        "B42",
        "Are the actions specific and owned, with dates?",
    )
    assert 0.6 <= m.confidence < 0.9
    assert plan.to_json()["question_matches"][0]["question_id"] == "6.4"


def test_a_row_that_matches_nothing_is_kept_for_review(con):
    target = wbs.QUESTIONS[5]
    cases = {"Cheshire": wbs.make_cases("Cheshire", 2)}
    plan = read(
        con,
        wbs.build_blocks(
            cases,
            wbs.Blocks(
                question_text=lambda x: "Overall impression of the file" if x is target else x.text
            ),
        ),
    )
    assert len(plan.unmatched) == 2  # one per case, with its grade and feedback
    u = plan.unmatched[0]
    assert (
        u.text == "Overall impression of the file"
        and u.grade == cases["Cheshire"][0].grades[target.question_id]
    )
    assert ("Cheshire", "B16", "unmatched-question") in plan.rows()
    assert len(plan.answers) == 2 * (len(wbs.QUESTIONS) - 1)
    assert plan.to_json()["unmatched"][0]["text"] == "Overall impression of the file"


# ------------------------------------------------------------------ 8. blank rows, offsets, notes


def test_blank_rows_and_columns_offset_header_notes_column(con):
    cases = {"North Wales": wbs.make_cases("North Wales")}
    spec = wbs.Blocks(
        top_blank_rows=3,
        left_blank_cols=2,
        blank_row_every=4,
        notes_col=True,
        merged_sections=False,
    )
    plan = read(con, wbs.build_blocks(cases, spec))
    assert grades_read(plan) == grades_written(cases)
    assert all("coordinator" not in (a.feedback or "") for a in plan.answers)


def test_no_header_row_grades_found_by_content(con):
    cases = {"North Wales": wbs.make_cases("North Wales", 2)}
    plan = read(con, wbs.build_blocks(cases, wbs.Blocks(header=False)))
    assert grades_read(plan) == grades_written(cases)


# ------------------------------------------------------------------ 9. transposed


@pytest.mark.parametrize("feedback", [True, False])
def test_transposed_layout(con, feedback):
    cases = {f: wbs.make_cases(f) for f in ("Cheshire", "Lancashire")}
    plan = read(con, wbs.build_transposed(cases, feedback_cols=feedback))
    assert {s.layout for s in plan.sheets} == {"transposed"}
    assert grades_read(plan) == grades_written(cases)
    r = plan.reviews[0]
    assert r.source_ref == "row 5" and r.reviewing_force == "Merseyside"
    if feedback:
        assert r.answers[0].feedback == cases["Cheshire"][0].feedback["1.1"]
    else:
        assert all(a.feedback is None for a in r.answers)


# ------------------------------------------------------------------ 10. tidy


def test_tidy_layout_keeps_pseudonyms_sources_and_per_row_quarters(con):
    rows = []
    for qlabel in ("2024/25 Q1", "2024/25 Q2"):
        for i, q in enumerate(wbs.QUESTIONS):
            rows.append(
                {
                    "quarter": qlabel,
                    "force": "Lancashire",
                    "reviewing_force": "Cumbria",
                    "risk_level": "High",
                    "case_id": "C-ABCDEFGHIJ",
                    "officer": "DC 1 Hart",
                    "question_id": q.question_id,
                    "question": q.text,
                    "grade": ["Good", "Inadequate", "N/A", None][i % 4],
                    "grade_source": ["colour", "both", "text", None][i % 4],
                    "feedback": "'=not a formula" if i == 0 else f"fb {i}",
                }
            )
    plan = read(con, wbs.build_tidy(rows))
    assert plan.sheets[0].layout == "tidy"
    assert sorted(r.quarter.label for r in plan.reviews) == ["2024/25 Q1", "2024/25 Q2"]
    assert plan.quarter_source == "rows"
    assert {r.case_id for r in plan.reviews} == {"C-ABCDEFGHIJ"}
    a = plan.reviews[0].answers
    assert [(x.grade, x.grade_source) for x in a[:4]] == [
        ("Good", "colour"),
        ("Inadequate", "both"),
        ("N/A", "text"),
        (None, None),
    ]
    assert a[0].feedback == "=not a formula"


# ------------------------------------------------------------------ 11. single return


def test_single_review_return(con):
    case = wbs.make_cases("Merseyside", 1)[0]
    case.risk_level = "Very high"
    plan = read(con, wbs.build_single(case, sheet="Merseyside"), name="return.xlsx")
    assert plan.sheets[0].layout == "single"
    assert plan.quarter.label == "2024/25 Q2"
    (r,) = plan.reviews
    assert (r.force, r.reviewing_force, r.risk_level, r.officer, r.reviewer) == (
        "Merseyside",
        "North Wales",
        "Very high",
        case.officer,
        case.reviewer,
    )
    assert r.arms_completed == case.arms_completed
    assert {a.question_id: a.grade for a in r.answers} == case.grades


def test_single_return_on_a_sheet_not_named_after_a_force(con):
    case = wbs.make_cases("Cheshire", 1)[0]
    plan = read(con, wbs.build_single(case, sheet="Sheet1"), name="return.xlsx")
    assert plan.reviews[0].force == "Cheshire"
    assert ("Sheet1", None, "force-from-title") in plan.rows()


# ------------------------------------------------------------------ 12. case counts


@pytest.mark.parametrize("n", [1, 3, 5, 6])
def test_fewer_or_more_than_four_cases(con, n):
    cases = {"Cheshire": wbs.make_cases("Cheshire", n)}
    plan = read(con, wbs.build_blocks(cases))
    assert len(plan.reviews) == n
    assert grades_read(plan) == grades_written(cases)


def test_a_case_with_no_risk_level_is_imported_with_a_warning(con):
    cases = {"Cheshire": wbs.make_cases("Cheshire", 3)}
    cases["Cheshire"][1].risk_level = None
    plan = read(con, wbs.build_blocks(cases))
    assert [r.risk_level for r in plan.reviews] == ["Low", None, "High"]
    w = [w for w in plan.warnings if w.kind == "no-risk-level"]
    assert len(w) == 1 and "columns E:F" in w[0].message and w[0].cell == "E3"


def test_an_empty_case_column_is_not_a_case(con):
    cases = {"Cheshire": wbs.make_cases("Cheshire", 4)}
    empty = cases["Cheshire"][3]
    for attr in ("risk_level", "case_ref", "officer", "reviewer", "arms_completed"):
        setattr(empty, attr, None)
    empty.grades = {}
    empty.feedback = {}
    plan = read(con, wbs.build_blocks(cases))
    assert len(plan.reviews) == 3


# ------------------------------------------------------------------ quarter


def test_quarter_sources_in_order(con):
    no_dates = tuple(m for m in wbs.META_DEFAULT if m[1] != "arms_completed")
    data, _ = wbs.canonical(n_forces=1, spec=wbs.Blocks(quarter_title=None, meta=no_dates))
    assert read_workbook(data, "q.xlsx", con).reason.startswith("cannot tell which quarter")
    plan = read(con, data, name="ARMS_2023-24_Q4.xlsx")
    assert (plan.quarter.label, plan.quarter_source) == ("2023/24 Q4", "file name")
    plan = read(con, data, name="q.xlsx", quarter="2022/23 Q1")
    assert (plan.quarter.label, plan.quarter_source) == ("2022/23 Q1", "given")
    data, _ = wbs.canonical(
        n_forces=1,
        spec=wbs.Blocks(
            quarter_title=None, meta=no_dates, sheet_names={"Cheshire": "Cheshire Q3 24-25"}
        ),
    )
    plan = read(con, data, name="q.xlsx")
    assert (plan.quarter.label, plan.quarter_source) == ("2024/25 Q3", "sheet")


def test_quarter_from_arms_dates_is_the_quarter_after(con):
    # ARMS completed in May 2024 (2024/25 Q1): reviewed in 2024/25 Q2
    cs = {"Cheshire": wbs.make_cases("Cheshire")}
    plan = read(con, wbs.build_blocks(cs, wbs.Blocks(quarter_title=None)), name="q.xlsx")
    assert (plan.quarter.label, plan.quarter_source) == ("2024/25 Q2", "dates")


def test_a_bad_quarter_argument_is_refused(con):
    data, _ = wbs.canonical(n_forces=1)
    plan = read_workbook(data, "q.xlsx", con, quarter="next tuesday")
    assert plan.status == "rejected" and "not a quarter" in plan.reason


# ------------------------------------------------------------------ identifiers


def test_identifiers_in_feedback_are_redacted_and_reported(con):
    cases = {"Cheshire": wbs.make_cases("Cheshire", 2)}
    c0 = cases["Cheshire"][0]
    c0.feedback["1.1"] = f"See {c0.case_ref.replace('/', ' / ')} and PNC 21/12345Z for history."
    c0.feedback["1.2"] = f"Linked to {cases['Cheshire'][1].case_ref}."
    plan = read(con, wbs.build_blocks(cases))
    a = {x.question_id: x for x in plan.reviews[0].answers}
    assert (
        a["1.1"].feedback == "See [redacted] and PNC [redacted] for history."
        and a["1.1"].redactions == 2
    )
    assert a["1.2"].feedback == "Linked to [redacted]." and a["1.2"].redactions == 1
    assert ("Cheshire", "C10", "redacted-identifier") in plan.rows()
    assert plan.counts()["redactions"] == 3


def test_dates_as_text_and_serials(con):
    cases = {"Cheshire": wbs.make_cases("Cheshire", 3)}
    cases["Cheshire"][0].arms_completed = "14/05/2024"
    cases["Cheshire"][1].arms_completed = "14th May 2024"
    cases["Cheshire"][2].arms_completed = "soon"
    plan = read(con, wbs.build_blocks(cases))
    assert [r.arms_completed for r in plan.reviews] == [dt.date(2024, 5, 14)] * 2 + [None]
    assert ("Cheshire", "G6", "bad-date") in plan.rows()


def test_merged_section_rows_with_a_fill_are_not_answers(con):
    import io

    from openpyxl import load_workbook

    cases = {"Cheshire": wbs.make_cases("Cheshire", 2)}
    wb = load_workbook(io.BytesIO(wbs.build_blocks(cases)))
    wb["Cheshire"]["A9"].fill = PatternFill("solid", fgColor="FF00B050")  # a green section row
    plan = read(con, wbs.to_bytes(wb))
    assert grades_read(plan) == grades_written(cases)
    assert not plan.unmatched


@pytest.mark.parametrize("section_row", [True, False])
def test_risk_levels_as_the_header_without_grade_labels(con, section_row):
    cases = wbs.make_cases("Lancashire", 4)
    wb = Workbook()
    ws = wb.active
    ws.title = "Lancs"
    ws.append(["Lancashire peer review 2024/25 Q1"])
    ws.append(["Question", "Low", None, "Medium", None, "High", None, "Very high", None])
    if section_row:
        ws.append(["Section 1 - Timeliness and process"])
    for q in wbs.QUESTIONS:
        row = [q.text]
        for c in cases:
            row += [c.grades[q.question_id], c.feedback[q.question_id]]
        ws.append(row)
    plan = read(con, wbs.to_bytes(wb))
    assert [r.risk_level for r in plan.reviews] == ["Low", "Medium", "High", "Very high"]
    assert grades_read(plan) == grades_written({"Lancashire": cases})


def test_a_sheet_from_another_question_set_says_so(con):
    def other(q):
        return f"Different national question number {q.ordinal} about something else entirely"

    cases = {"Cheshire": wbs.make_cases("Cheshire", 2)}
    plan = read(con, wbs.build_blocks(cases, wbs.Blocks(question_text=other)))
    assert len(plan.unmatched) == 2 * len(wbs.QUESTIONS) and not plan.answers
    assert (None, None, "question-set-mismatch") in [(None, None, k) for _s, _c, k in plan.rows()]
    assert "right question set" in next(
        i.message for i in plan.issues if i.kind == "question-set-mismatch"
    )


def test_title_and_file_name_disagreeing_on_the_quarter_is_a_warning(con):
    data, _ = wbs.canonical(n_forces=1)
    plan = read(con, data, name="ARMS 2024-25 Q3.xlsx")
    assert plan.quarter.label == "2024/25 Q2"
    assert any(i.kind == "quarter-disagrees" and "2024/25 Q3" in i.message for i in plan.issues)


def test_identifiers_in_sheet_names_file_names_and_warnings_are_redacted(con):
    case = wbs.make_cases("Cheshire", 1)[0]
    case.grades["1.1"] = f"see {case.case_ref}"  # not a grade: quoted in a warning
    sheet = case.case_ref.replace("/", "-")
    plan = read(con, wbs.build_single(case, sheet=sheet), name=f"return {sheet} 2024-25 Q2.xlsx")
    dumped = repr(plan) + repr(plan.to_json())
    digits = case.case_ref.split("/")[1].lstrip("0")
    assert digits not in dumped
    assert plan.reviews[0].sheet == "[redacted]" and "[redacted]" in plan.file_name


def test_a_force_column_on_a_sheet_not_named_after_a_force(con):
    wb = Workbook()
    ws = wb.active
    ws.title = "All reviews"
    ws.append(["Force", "Risk level", "Case ref", "OM", *[q.text for q in wbs.QUESTIONS]])
    cases = (
        wbs.make_cases("Cheshire", 2) + wbs.make_cases("Cumbria", 1) + wbs.make_cases("Gotham", 1)
    )
    cases[-1].force = "Gotham City"
    for c in cases:
        ws.append(
            [
                c.force,
                c.risk_level,
                c.case_ref,
                c.officer,
                *[c.grades[q.question_id] for q in wbs.QUESTIONS],
            ]
        )
    plan = read(con, wbs.to_bytes(wb))
    assert [r.force for r in plan.reviews] == ["Cheshire", "Cheshire", "Cumbria"]
    assert plan.sheets[0].force == "Cheshire, Cumbria"
    assert len(plan.unmatched) == len(wbs.QUESTIONS)  # the unknown force's answers are kept
    assert any(w.kind == "unknown-force" and "Gotham City" in w.message for w in plan.warnings)


def test_a_sheet_named_with_its_reviewer_is_the_force_under_review(con):
    cases = {"Cheshire": wbs.make_cases("Cheshire", 1)}
    data = wbs.build_blocks(
        cases, wbs.Blocks(sheet_names={"Cheshire": "Cheshire (rev. by Merseyside)"})
    )
    plan = read(con, data)
    assert plan.reviews[0].force == "Cheshire"


def test_header_labels_people_write(con):
    cases = wbs.make_cases("Cheshire", 2)
    wb = Workbook()
    ws = wb.active
    ws.title = "Cheshire"
    ws.append(["Grade key: O = yellow, G = green, RI = amber, I = red"])
    ws.append(["Risk level", None, "Low", None, None, "Medium", None, None])
    ws.append(
        [
            "Question No.",
            "Question / area",
            "Grade (O/G/RI/I)",
            "Comments/feedback",
            "Coordinator notes",
            "Reviewer grade",
            "Feedback and rationale",
            "Notes",
        ]
    )
    for q in wbs.QUESTIONS:
        ws.append(
            [
                q.question_id,
                q.text,
                cases[0].grades[q.question_id],
                cases[0].feedback[q.question_id],
                "n1",
                cases[1].grades[q.question_id],
                cases[1].feedback[q.question_id],
                "n2",
            ]
        )
    plan = read(con, wbs.to_bytes(wb))
    assert grades_read(plan) == grades_written({"Cheshire": cases})
    fb = {(r.risk_level, a.question_id): a.feedback for r in plan.reviews for a in r.answers}
    assert fb[("Medium", "1.1")] == cases[1].feedback["1.1"]


def test_a_grade_followed_by_a_comment_in_the_same_cell(con):
    cases = {"Cheshire": wbs.make_cases("Cheshire", 1)}
    c = cases["Cheshire"][0]
    typed = {
        "1.1": (
            "Requires improvement - no dates on the actions, no owner named",
            "Requires improvement",
        ),
        "1.2": ("Good: clear and well evidenced throughout the plan", "Good"),
        "1.3": ("R/I (see feedback for what is missing from the plan)", "Requires improvement"),
        "1.4": ("Good practice seen in places but overall the plan is weak", None),
    }
    for qid, (_t, g) in typed.items():
        c.grades[qid] = g
    data = wbs.build_blocks(cases, wbs.Blocks(grade_mode="text"))
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    for row, qid in zip((10, 11, 12, 13), typed, strict=True):
        wb["Cheshire"].cell(row, 3).value = typed[qid][0]
    plan = read(con, wbs.to_bytes(wb))
    a = {x.question_id: x for x in plan.answers}
    assert {q: a[q].grade for q in typed} == {q: g for q, (_t, g) in typed.items()}
    assert "no owner named" in a["1.1"].feedback and a["1.1"].grade_source == "text"
    assert ("Cheshire", "C13", "grade-not-understood") in plan.rows()


def test_transposed_with_a_second_header_row_of_labels(con):
    cases = wbs.make_cases("Merseyside", 3)
    wb = Workbook()
    ws = wb.active
    ws.title = "Merseyside"
    ws["A1"] = "Merseyside 2024/25 Q2 - reviewed by North Wales"
    c = 4
    for q in wbs.QUESTIONS:
        ws.cell(2, c, q.text)
        ws.merge_cells(start_row=2, start_column=c, end_row=2, end_column=c + 1)
        ws.cell(3, c, "Grade")
        ws.cell(3, c + 1, "Feedback")
        c += 2
    for col, label in enumerate(["Risk level", "Case ref", "OM"], start=1):
        ws.cell(3, col, label)
    for i, case in enumerate(cases):
        r = 4 + i
        for col, v in enumerate([case.risk_level, case.case_ref, case.officer], start=1):
            ws.cell(r, col, v)
        c = 4
        for q in wbs.QUESTIONS:
            ws.cell(r, c, case.grades[q.question_id])
            ws.cell(r, c + 1, case.feedback[q.question_id])
            c += 2
    plan = read(con, wbs.to_bytes(wb))
    assert plan.sheets[0].layout == "transposed"
    assert grades_read(plan) == grades_written({"Merseyside": cases})
    assert [r.officer for r in plan.reviews] == [c.officer for c in cases]
    assert plan.reviews[0].reviewing_force == "North Wales"
    assert plan.reviews[0].answers[0].feedback == cases[0].feedback["1.1"]
    assert not any(w.kind == "grade-not-understood" for w in plan.warnings)


def test_settings_decide_match_thresholds_and_the_grade_scale(con):
    from dashboard.settings import save_settings

    cases = {"Cheshire": wbs.make_cases("Cheshire", 1)}
    cases["Cheshire"][0].grades["1.1"] = "Adequate"
    data = wbs.build_blocks(
        cases, wbs.Blocks(grade_mode="text", question_text=lambda q: q.text[: len(q.text) * 2 // 3])
    )
    plan = read(con, data)
    assert not plan.unmatched
    assert next(a for a in plan.answers if a.question_id == "1.1").grade is None  # four grades
    save_settings(con, {"min_match_confidence": 0.99, "five_grades": True}, "t")
    plan = read(con, data)
    assert len(plan.unmatched) == len(wbs.QUESTIONS)  # every truncated text is now below the bar
    assert plan.unmatched[0].grade == "Adequate"
