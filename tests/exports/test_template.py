import datetime as dt
import io

import openpyxl
import pytest

from dashboard.exports.template import default_template_quarter, export_template, template_bytes
from dashboard.importer import ingest_bytes
from dashboard.pseudonym import is_pseudonym
from dashboard.settings import save_settings
from dashboard.vocab import GRADES_FOUR, NA, RISK_LEVELS, Quarter


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def question_rows(ws):
    return [
        r
        for r in range(1, ws.max_row + 1)
        if isinstance(ws.cell(r, 1).value, str) and ws.cell(r, 1).value[:1].isdigit()
    ]


def validations(ws) -> dict[str, str]:
    """range text -> formula of every list validation on the sheet"""
    return {
        str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"
    }


def test_template_shape(empty_con):
    wb = load(template_bytes(empty_con, "2025/26 Q4"))
    assert wb.sheetnames[0] == "Instructions"
    assert wb.sheetnames[1:] == [
        "Cheshire",
        "Greater Manchester",
        "North Wales",
        "Lancashire",
        "Merseyside",
        "Cumbria",
    ]
    ws = wb["Cumbria"]
    assert ws["A1"].value == "ARMS peer review - Cumbria Constabulary - 2025/26 Q4"
    assert [ws.cell(3, c).value for c in (3, 5, 7, 9)] == list(RISK_LEVELS)
    assert len(question_rows(ws)) == 33
    assert all(ws.cell(r, c).value is None for r in question_rows(ws) for c in range(3, 11))


def test_grade_drop_downs_offer_the_active_scale_and_na(empty_con):
    ws = load(template_bytes(empty_con, "2025/26 Q4", "Cheshire"))["Cheshire"]
    rows = question_rows(ws)
    lists = validations(ws)
    words = [g.name for g in GRADES_FOUR] + [NA]
    grade_ranges = [rng for rng, f in lists.items() if f == '"' + ",".join(words) + '"']
    assert grade_ranges, lists
    covered = " ".join(grade_ranges)
    for col in "CEGI":
        assert f"{col}{rows[0]}:{col}{rows[-1]}" in covered
    assert any("Merseyside Police" in f and "Cheshire" not in f for f in lists.values())
    save_settings(empty_con, {"five_grades": True}, "t")
    ws = load(template_bytes(empty_con, "2025/26 Q4", "Cheshire"))["Cheshire"]
    assert any("Adequate" in f for f in validations(ws).values())


def test_question_text_locked_inputs_unlocked(empty_con):
    ws = load(template_bytes(empty_con, "2025/26 Q4", "Lancs"))["Lancashire"]
    assert ws.protection.sheet
    r = question_rows(ws)[0]
    assert ws.cell(r, 2).protection.locked and ws["A1"].protection.locked
    for c in range(3, 11):
        assert not ws.cell(r, c).protection.locked
    for meta_row in range(3, 8):
        assert not ws.cell(meta_row, 3).protection.locked
    assert not ws["B2"].protection.locked


def test_conditional_colours_on_grade_cells(empty_con):
    ws = load(template_bytes(empty_con, "2025/26 Q4", "Cheshire"))["Cheshire"]
    formulas = {f for cf in ws.conditional_formatting for rule in cf.rules for f in rule.formula}
    assert {f'"{g.name}"' for g in GRADES_FOUR} <= formulas


def test_filled_in_template_imports(empty_con):
    wb = load(template_bytes(empty_con, "2025/26 Q4", "Merseyside"))
    ws = wb["Merseyside"]
    ws["B2"] = "North Wales Police"
    refs = ["19/0456123K", "07/1234567B", "MY/SOMU/114", "22/0000042X"]
    for i, col in enumerate((3, 5, 7, 9)):
        ws.cell(4, col, refs[i])
        ws.cell(5, col, f"DC 10{i} Test")
        ws.cell(6, col, dt.date(2025, 9, 1 + i))
        ws.cell(7, col, "DS Roberts")
    words = [g.name for g in GRADES_FOUR] + [NA]
    rows = question_rows(ws)
    for k, r in enumerate(rows):
        for i, col in enumerate((3, 5, 7, 9)):
            ws.cell(r, col, words[(k + i) % len(words)])
            ws.cell(r, col + 1, f"feedback {k}-{i}")
    buf = io.BytesIO()
    wb.save(buf)
    report = ingest_bytes(empty_con, buf.getvalue(), "return.xlsx", who="t")
    assert report["status"] == "imported", report.get("reason")
    assert report["quarter"] == "2025/26 Q4"
    assert report["counts"]["reviews"] == 4 and report["counts"]["answers"] == 4 * len(rows)
    assert report["counts"]["ungraded"] == 0
    got = (
        empty_con.cursor()
        .execute(
            "SELECT DISTINCT force, reviewing_force, risk_level, case_id, officer, reviewer FROM answer_facts "
            "ORDER BY officer"
        )
        .fetchall()
    )
    assert [(f, rf, rl, o, rv) for f, rf, rl, _c, o, rv in got] == [
        ("Merseyside", "North Wales", RISK_LEVELS[i], f"DC 10{i} Test", "DS Roberts")
        for i in range(4)
    ]
    assert all(is_pseudonym(c) for *_, c, _o, _r in got)
    n_grades = (
        empty_con.cursor()
        .execute("SELECT count(*) FROM answer_facts WHERE grade IS NOT NULL")
        .fetchone()[0]
    )
    assert n_grades == 4 * len(rows)


def test_default_quarter_and_refusals(empty_con, demo_con, tmp_path):
    today = dt.date(2025, 5, 1)
    assert default_template_quarter(empty_con.cursor(), today) == Quarter(2025, 1)
    assert default_template_quarter(demo_con.cursor(), today) == Quarter(2025, 4)
    with pytest.raises(ValueError, match="unknown force 'Narnia'"):
        template_bytes(empty_con, "2025/26 Q4", "Narnia")
    with pytest.raises(ValueError, match="not a quarter"):
        template_bytes(empty_con, "next spring")
    out = export_template(demo_con, tmp_path / "t.xlsx", force="GMP", who="coord")
    assert load(out.read_bytes()).sheetnames == ["Instructions", "Greater Manchester"]
    assert "2025/26 Q4" in load(out.read_bytes())["Greater Manchester"]["A1"].value
