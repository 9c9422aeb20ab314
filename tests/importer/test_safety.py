"""Files that must be refused before any parser sees them: one clear line, nothing written."""

from __future__ import annotations

import pytest

from dashboard.importer import ingest_bytes, read_workbook
from dashboard.importer.safety import check_bytes
from dashboard.settings import Settings
from tests.importer import workbooks as wbs


@pytest.mark.parametrize(
    "make, name, words",
    [
        (wbs.legacy_xls, "old.xls", "old Excel .xls"),
        (wbs.encrypted_xlsx, "locked.xlsx", "password-protected"),
        (wbs.csv_renamed, "data.xlsx", "CSV"),
        (wbs.truncated, "cut.xlsx", "damaged or incomplete"),
        (wbs.macro_workbook, "macros.xlsx", "macros"),
        (wbs.huge_dimension, "wide.xlsx", "cell limit"),
        (
            wbs.no_force_sheets,
            "summary.xlsx",
            "no sheet is named after a force: found 'Summary', 'Key'",
        ),
        (lambda: b"", "empty.xlsx", "empty"),
    ],
)
def test_refusals_give_one_line_and_write_nothing(con, make, name, words):
    before = con.execute("SELECT count(*) FROM imports").fetchone()[0]
    out = ingest_bytes(con, make(), name, who="t")
    assert out["status"] == "rejected"
    assert words in out["reason"]
    assert "\n" not in out["reason"] and "Traceback" not in out["reason"]
    assert out["errors"] and out["errors"][0]["message"] == out["reason"]
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == before
    assert con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0


def test_xlsm_by_content_type_and_by_name_is_refused(con):
    data, _ = wbs.canonical(n_forces=1)
    assert "macros" in check_bytes(data, "review.xlsm")
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        ct = z.read("[Content_Types].xml").replace(
            b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
        )
    assert "macros" in check_bytes(wbs.with_members({}, data, content_types=ct), "x.xlsx")


def test_decompression_bomb_is_refused_by_declared_size_and_by_ratio():
    bomb = wbs.zip_bomb(30)  # 30 MB of zeros: tiny compressed, huge ratio
    reason = check_bytes(bomb, "bomb.xlsx", Settings(max_uncompressed_mb=20))
    assert "zip bomb" in reason and "20 MB" in reason
    reason = check_bytes(bomb, "bomb.xlsx", Settings(max_uncompressed_mb=500))
    assert "zip bomb" in reason and "compressed" in reason


def test_size_cap(con):
    data, _ = wbs.canonical(n_forces=1)
    assert "over the 0 MB limit" in check_bytes(data, "a.xlsx", Settings(max_upload_mb=0))


def test_a_normal_workbook_passes_the_checks():
    data, _ = wbs.canonical()
    assert check_bytes(data, "q.xlsx") is None


def test_a_zip_that_is_not_a_workbook(con):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    plan = read_workbook(buf.getvalue(), "x.xlsx", con)
    assert plan.status == "rejected" and "not an Excel workbook" in plan.reason


def test_force_sheet_without_a_table_is_reported(con):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Cheshire"
    wb.active["A1"] = "nothing here yet"
    plan = read_workbook(wbs.to_bytes(wb), "x.xlsx", con)
    assert plan.status == "rejected" and plan.reason.startswith("no review table")
    assert "'Cheshire'" in plan.reason
    assert plan.sheets[0].skipped and "no review table" in plan.sheets[0].skip_reason


def test_a_sheet_with_more_cells_than_allowed_is_refused_while_reading(con):
    import io
    import re
    import zipfile

    from dashboard.settings import save_settings

    data, _ = wbs.canonical(n_forces=1)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb"<dimension[^>]*/>", b"", sheet)  # no <dimension> to check up front
    data = wbs.with_members({"xl/worksheets/sheet1.xml": sheet}, data)
    save_settings(con, {"max_cells": 100}, "t")
    plan = read_workbook(data, "q.xlsx", con)
    assert plan.status == "rejected" and "more than 100 cells" in plan.reason
