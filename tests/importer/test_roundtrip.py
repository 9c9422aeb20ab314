"""What the product writes comes back unchanged: regional workbook, tidy export, template, demo."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from dashboard import store
from dashboard.exports.regional import regional_workbook_bytes
from dashboard.exports.template import template_bytes
from dashboard.exports.tidy import tidy_frame, to_xlsx_bytes
from dashboard.importer import ingest_bytes, read_workbook
from tests.importer import workbooks as wbs
from tests.importer.conftest import counts_add_up

KEY = ["force", "case_id", "question_id"]


def _source(tmp_path):
    cases = {f: wbs.make_cases(f) for f in ("Cheshire", "Lancashire", "North Wales")}
    cases["Cheshire"][0].feedback["1.1"] = "- started late; =SUM(A1) is not a formula"
    cases["Cheshire"][1].grades["1.2"] = None  # ungraded
    cases["Lancashire"][2].risk_level = None
    con = store.connect(tmp_path / "a.duckdb")
    assert ingest_bytes(con, wbs.build_blocks(cases), "a.xlsx")["status"] == "imported"
    return con


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a = a.sort_values(KEY).reset_index(drop=True).astype(object).where(a.notna(), None)
    b = b.sort_values(KEY).reset_index(drop=True).astype(object).where(b.notna(), None)
    assert len(a) == len(b) > 0
    pd.testing.assert_frame_equal(
        a.sort_values(KEY).reset_index(drop=True),
        b.sort_values(KEY).reset_index(drop=True),
        check_dtype=False,
    )


def test_regional_workbook_imports_back_unchanged(tmp_path):
    a = _source(tmp_path)
    data = regional_workbook_bytes(a, "2024/25 Q2")
    b = store.connect(tmp_path / "b.duckdb")
    out = ingest_bytes(b, data, "regional.xlsx")
    assert out["status"] == "imported"
    _same(tidy_frame(a.cursor()), tidy_frame(b.cursor()))


def test_tidy_export_imports_back_unchanged(tmp_path):
    a = _source(tmp_path)
    before = tidy_frame(a.cursor())
    b = store.connect(tmp_path / "b.duckdb")
    out = ingest_bytes(b, to_xlsx_bytes(before), "tidy.xlsx")
    assert out["status"] == "imported" and out["quarter_source"] == "rows"
    _same(before, tidy_frame(b.cursor()))


def test_a_filled_in_template_imports_and_a_blank_one_is_refused(tmp_path):
    con = store.connect(tmp_path / "t.duckdb")
    blank = template_bytes(con, "2024/25 Q3", force="Cumbria")
    plan = read_workbook(blank, "template.xlsx", con)
    assert plan.status == "rejected" and "no reviews" in plan.reason
    wb = load_workbook(io.BytesIO(blank))
    ws = wb["Cumbria"]
    grade_dv = [
        dv for dv in ws.data_validations.dataValidation if "Outstanding" in (dv.formula1 or "")
    ]
    grade_cells = [
        c
        for row in ws.iter_rows()
        for c in row
        if not isinstance(c, MergedCell)
        and c.value is None
        and any(c.coordinate in dv.sqref for dv in grade_dv)
    ]
    assert grade_cells, "the template has grade drop-downs"
    for i, c in enumerate(grade_cells):
        c.value = ["Good", "Requires improvement", "Outstanding", "Inadequate", "N/A"][i % 5]
    buf = io.BytesIO()
    wb.save(buf)
    plan = read_workbook(buf.getvalue(), "filled.xlsx", con)
    assert plan.status == "ok", plan.reason
    assert plan.quarter.label == "2024/25 Q3" and {r.force for r in plan.reviews} == {"Cumbria"}
    assert len(plan.answers) == len(grade_cells) and counts_add_up(plan)
    assert {r.risk_level for r in plan.reviews} == {"Low", "Medium", "High", "Very high"}


def test_every_demo_workbook_imports_with_counts_adding_up(tmp_path):
    from dashboard.demo import generate_workbooks

    con = store.connect(tmp_path / "d.duckdb")
    paths = generate_workbooks(tmp_path / "demo")
    assert len(paths) >= 9
    for p in paths:
        plan = read_workbook(p.read_bytes(), p.name, con)
        assert plan.status == "ok", (p.name, plan.reason)
        assert counts_add_up(plan) and plan.counts()["reviews"] >= 12


def test_tidy_csv_export_imports_back_unchanged_other_csv_is_refused(tmp_path):
    from dashboard.exports.tidy import to_csv_bytes

    a = _source(tmp_path)
    before = tidy_frame(a.cursor())
    b = store.connect(tmp_path / "b.duckdb")
    out = ingest_bytes(b, to_csv_bytes(before), "tidy.csv")
    assert out["status"] == "imported", out["reason"]
    _same(before, tidy_frame(b.cursor()))
    out = ingest_bytes(b, b"name,score\nx,1\n", "other.csv")
    assert out["status"] == "rejected" and "tidy export" in out["reason"]
