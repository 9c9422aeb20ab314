import io

import openpyxl
import pandas as pd
import pytest

from dashboard import store
from dashboard.exports.regional import (
    Style,
    _tint,
    export_regional,
    regional_workbook_bytes,
)
from dashboard.exports.tidy import tidy_frame
from dashboard.importer import ingest_bytes
from dashboard.pseudonym import is_pseudonym
from dashboard.vocab import (
    GRADES_FOUR,
    NA,
    grade_by_name,
    grade_for_colour,
    hex_to_rgb,
)
from tests.exports.test_tidy import CONTRACT, DANGEROUS, plant

DEMO_QUARTERS = [
    "2023/24 Q2",
    "2023/24 Q3",
    "2023/24 Q4",
    "2024/25 Q1",
    "2024/25 Q2",
    "2024/25 Q3",
    "2024/25 Q4",
    "2025/26 Q1",
    "2025/26 Q2",
    "2025/26 Q3",
]


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_canonical_layout(demo_con):
    wb = load(regional_workbook_bytes(demo_con, "2024/25 Q2"))
    assert wb.sheetnames == [
        "Cheshire",
        "Greater Manchester",
        "North Wales",
        "Lancashire",
        "Merseyside",
        "Cumbria",
        "Key",
        "Summary",
    ]
    ws = wb["Lancashire"]
    assert ws["A1"].value == "ARMS peer review - Lancashire Constabulary - 2024/25 Q2"
    assert ws["A2"].value == "Reviewing force"
    reviewing = (
        demo_con.cursor()
        .execute(
            "SELECT DISTINCT reviewing_force FROM reviews WHERE active AND force = 'Lancashire' "
            "AND quarter = '2024/25 Q2'"
        )
        .fetchone()[0]
    )
    assert ws["B2"].value == store.load_forces(demo_con).full_name(reviewing)
    labels = [ws.cell(r, 1).value for r in range(3, 8)]
    assert labels == [
        "Risk level",
        "Case reference",
        "Offender manager",
        "ARMS completed",
        "Reviewer",
    ]
    assert [ws.cell(3, c).value for c in (3, 5, 7, 9)] == ["Low", "Medium", "High", "Very high"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"C3:D3", "E3:F3", "G3:H3", "I3:J3"} <= merged
    assert [ws.cell(8, c).value for c in range(1, 11)] == ["No.", "Question"] + [
        "Grade",
        "Feedback",
    ] * 4
    assert ws["A9"].value == "Section 1 - Timeliness and process" and "A9:J9" in merged
    assert ws.freeze_panes == "C9"
    assert ws.page_setup.orientation == "landscape"
    assert ws["B10"].alignment.wrap_text and ws["D10"].alignment.wrap_text
    assert ws.column_dimensions["B"].width >= 40
    assert all(is_pseudonym(ws.cell(4, c).value) for c in (3, 5, 7, 9))


def test_grade_cells_carry_text_and_the_grade_colour(demo_con):
    wb = load(regional_workbook_bytes(demo_con, "2024/25 Q2"))
    seen = set()
    rows = [row for name in wb.sheetnames[:6] for row in wb[name].iter_rows(min_row=10)]
    for row in rows:
        if not (isinstance(row[0].value, str) and row[0].value[:1].isdigit()):
            continue
        for cell in row[2::2]:
            if cell.value in (None, NA):
                continue
            g = grade_by_name(cell.value)
            assert cell.fill.fill_type == "solid"
            assert cell.fill.start_color.rgb[-6:] == g.colour.lstrip("#").upper()
            seen.add(g.name)
    assert seen == {g.name for g in GRADES_FOUR}


def test_pale_tints_still_read_as_their_grade():
    for g in GRADES_FOUR:
        assert grade_for_colour(hex_to_rgb(_tint(g.colour))) == g.name


@pytest.mark.parametrize("quarter", DEMO_QUARTERS)
def test_round_trip_through_the_importer_is_identical(demo_con, tmp_path, quarter):
    """demo database -> regional workbook -> a fresh database -> the same tidy table."""
    fresh = store.connect(tmp_path / "fresh.duckdb")
    report = ingest_bytes(
        fresh, regional_workbook_bytes(demo_con, quarter), "regional.xlsx", who="t"
    )
    assert report["status"] == "imported", report.get("reason")
    assert report["quarter"] == quarter
    before = tidy_frame(demo_con.cursor(), quarter=quarter)
    after = tidy_frame(fresh.cursor(), quarter=quarter)
    assert after["case_id"].map(is_pseudonym).all()
    # the export always shows a grade as text AND colour, so its source reads 'both' on
    # the way back, whatever the quarter's original workbook did; everything else is equal
    cols = [c for c in CONTRACT if c != "grade_source"]
    pd.testing.assert_frame_equal(before[cols], after[cols])
    graded = after["grade"].notna() & (after["grade"] != NA)
    assert set(after.loc[graded, "grade_source"]) == {"both"}
    same_source = before["grade_source"] == "both"
    assert (before.loc[same_source, "grade_source"] == after.loc[same_source, "grade_source"]).all()
    fresh.close()


def test_feedback_formulas_are_neutralised_and_come_back_as_typed(demo_con, empty_con):
    plant(demo_con)
    data = regional_workbook_bytes(demo_con, "2024/25 Q2")
    ws = load(data)["Lancashire"]
    values = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in DANGEROUS:
        assert "'" + text.replace("\r", "\n") in values
    assert all(c.data_type != "f" for s in load(data) for row in s.iter_rows() for c in row)
    assert ingest_bytes(empty_con, data, "r.xlsx", who="t")["status"] == "imported"
    back = set(tidy_frame(empty_con.cursor())["feedback"].dropna())
    assert {
        '=HYPERLINK("http://evil","x")',
        "+44 7700 900123",
        "-5 days late",
        "@SUM(A1:A9)",
    } <= back


def test_variations_from_the_same_writer(demo_con):
    from dashboard.exports.regional import regional_sheets, write_regional
    from dashboard.questions import load_questions
    from dashboard.vocab import Quarter

    q = Quarter(2024, 2)
    sheets, questions = regional_sheets(demo_con, q)
    forces = store.load_forces(demo_con)
    wb = load(
        write_regional(
            sheets,
            q,
            questions,
            forces,
            Style(
                grades="colour",
                sheet_names={"Lancashire": "Lancs"},
                key_sheet=False,
                summary_sheet=False,
            ),
        )
    )
    assert "Lancs" in wb.sheetnames and "Key" not in wb.sheetnames
    grades = {c.value for row in wb["Lancs"].iter_rows(min_row=10) for c in row[2::2]}
    assert grades <= {None, NA}  # colour only: no grade words
    wb = load(write_regional(sheets, q, questions, forces, Style(layout="transposed")))
    ws = wb["Cheshire"]
    assert ws["A4"].value == "Risk level" and ws["F4"].value.startswith("1.1 ")
    assert ws.max_row == 4 + 4 and len(questions) == len(load_questions(demo_con))


def test_export_regional_writes_audits_and_refuses(demo_con, tmp_path):
    out = tmp_path / "regional.xlsx"
    assert export_regional(demo_con, out, quarter=None, who="coord") == 16  # latest: 4 forces
    assert load(out.read_bytes()).sheetnames[:4] == [
        "Cheshire",
        "North Wales",
        "Lancashire",
        "Merseyside",
    ]
    row = (
        demo_con.cursor()
        .execute(
            "SELECT who, detail FROM audit_log WHERE action = 'export' ORDER BY rowid DESC LIMIT 1"
        )
        .fetchone()
    )
    assert row[0] == "coord" and "2025/26 Q3" in row[1]
    with pytest.raises(ValueError, match="no data for 2019/20 Q1"):
        export_regional(demo_con, tmp_path / "x.xlsx", quarter="2019/20 Q1")
    with pytest.raises(ValueError, match=r"\.xlsx"):
        export_regional(demo_con, tmp_path / "x.csv")


def test_empty_database_is_refused_in_one_line(empty_con, tmp_path):
    with pytest.raises(ValueError, match="no data"):
        export_regional(empty_con, tmp_path / "x.xlsx")
