"""The Upload and data page (AppTest, real importer, database on disk): report before any
write, import, refusals, the quarter chooser, duplicates, re-sends, cancel, undo, downloads."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import store
from dashboard.audit import audit_log
from dashboard.exports.tidy import tidy_frame
from dashboard.importer import ingest_bytes
from dashboard.ui import downloads
from tests.pages.upload_workbooks import (
    NOT_A_WORKBOOK,
    good_workbook,
    no_quarter_workbook,
    reworded_workbook,
)

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "8_Upload_and_data.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "upload.duckdb"
    monkeypatch.setenv("ARMS_DB", str(path))
    monkeypatch.setenv("ARMS_NO_AUTODEMO", "1")
    monkeypatch.setenv("ARMS_USER", "upload-tester")
    store.connect(path).close()
    return path


def _con():
    from dashboard.ui import data

    return data.connection()  # the page's own connection to the test database


def _active_reviews(force: str | None = None) -> int:
    sql = "SELECT count(*) FROM reviews WHERE active" + (" AND force = ?" if force else "")
    return _con().cursor().execute(sql, [force] if force else []).fetchone()[0]


def _app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    return at


def _upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(n, d, XLSX) for n, d in files])
    at.run()
    assert not at.exception, at.exception
    return at


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def _unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_the_report_comes_before_any_write_then_import_changes_the_data(db):
    at = _upload(_app(), ("Q2 regional.xlsx", good_workbook()))
    summary = next(t for t in _texts(at) if t.startswith("2024/25 Q2"))
    assert summary.startswith("2024/25 Q2 (from the title) · 6 forces · 24 reviews")
    sheets = at.dataframe[0].value.set_index("sheet")
    read = sheets[sheets["read"] == "read"]
    assert list(read["force"]) == [
        "Cheshire",
        "Greater Manchester",
        "North Wales",
        "Lancashire",
        "Merseyside",
        "Cumbria",
    ]
    assert set(read["cases"]) == {4} and set(read["layout"]) == {"blocks"}
    assert sheets.loc["Key", "read"].startswith("skipped: ")  # listed, with the reason
    assert _active_reviews() == 0  # nothing written yet
    version = store.data_version(_con())

    _click(at, "Import")
    assert _active_reviews() == 24
    assert store.data_version(_con()) > version  # every cache keyed on it follows
    assert any(m.value.startswith("Imported Q2 regional\\.xlsx as import \\#1") for m in at.success)
    history = at.dataframe[0].value  # the report is gone: the first table is the history
    assert history.loc[0, ["import", "who", "file", "status"]].tolist() == [
        1,
        "upload-tester",
        "Q2 regional.xlsx",
        "imported",
    ]
    assert len(history.loc[0, "SHA-256"]) == 12
    assert at.file_uploader[0].key.endswith("_1")  # the uploader was emptied


def test_a_refused_file_reads_as_one_line_and_writes_nothing(db):
    at = _upload(_app(), ("notes.xlsx", NOT_A_WORKBOOK))
    assert [e.value for e in at.error] == [
        "notes\\.xlsx is a text\\/CSV file\\, not an \\.xlsx workbook\\: open it in Excel and "
        "save as \\.xlsx"
    ]
    assert not [b for b in at.button if b.label == "Import"]
    assert _active_reviews() == 0


def test_a_missing_quarter_is_chosen_and_the_file_read_again(db):
    at = _upload(_app(), ("returns.xlsx", no_quarter_workbook()))
    assert "cannot tell which quarter" in at.error[0].value
    at.selectbox(key=next(s.key for s in at.selectbox if s.key.startswith("upl_q_"))).set_value(
        "2024/25 Q1"
    )
    at.run()
    assert not at.error
    assert any(t.startswith("2024/25 Q1 (chosen here) · 2 forces · 8 reviews") for t in _texts(at))
    _click(at, "Import")
    assert _con().cursor().execute(
        "SELECT DISTINCT quarter FROM reviews WHERE active"
    ).fetchall() == [("2024/25 Q1",)]


def test_the_same_file_twice_is_recognised_and_cannot_be_imported_again(db):
    data = good_workbook()
    at = _click(_upload(_app(), ("q2.xlsx", data)), "Import")
    at = _upload(at, ("q2 copy.xlsx", data))
    assert any("already imported as import \\#1" in i.value for i in at.info)
    assert next(b for b in at.button if b.label == "Import").disabled
    assert _active_reviews() == 24


def test_a_resend_says_what_it_replaces_before_import(db):
    at = _click(_upload(_app(), ("q2.xlsx", good_workbook())), "Import")
    at = _upload(at, ("cumbria fixed.xlsx", good_workbook(seed=2, forces=("Cumbria",))))
    assert [w.value for w in at.warning if w.value.startswith("Replaces")] == [
        "Replaces Cumbria 2024\\/25 Q2\\: 4 reviews from import \\#1 \\(q2\\.xlsx\\)\\. "
        "The history keeps both\\."
    ]
    _click(at, "Import")
    rows = (
        _con()
        .cursor()
        .execute(
            "SELECT import_id, count(*) FROM reviews WHERE active AND force = 'Cumbria' GROUP BY 1"
        )
        .fetchall()
    )
    assert rows == [(2, 4)] and _active_reviews() == 24


def test_cancel_writes_nothing_and_empties_the_uploader(db):
    at = _click(_upload(_app(), ("q2.xlsx", good_workbook())), "Cancel")
    assert any("cancelled" in i.value for i in at.info)
    assert _active_reviews() == 0 and at.file_uploader[0].key.endswith("_1")


def test_several_files_are_checked_together_and_imported_at_once(db):
    from dashboard.vocab import Quarter

    at = _upload(
        _app(),
        ("q1.xlsx", good_workbook(Quarter(2024, 1))),
        ("q2.xlsx", good_workbook()),
        ("bad.xlsx", NOT_A_WORKBOOK),
    )
    assert len(at.error) == 1
    _click(at, "Import all 2 checked workbooks")
    assert _active_reviews() == 48
    # the refused file stays on screen with its reason until dismissed
    assert len(at.error) == 1 and [b.label for b in at.button if b.label == "Dismiss"] == [
        "Dismiss"
    ]
    assert not [b for b in at.button if b.label == "Import"]
    handled = [c.value for c in at.caption if "already imported or cancelled" in c.value]
    assert len(handled) == 2  # still in the uploader beside the refused file, not read again


def test_undo_asks_first_then_removes_the_data_and_keeps_the_event(db):
    at = _click(_upload(_app(), ("q2.xlsx", good_workbook())), "Import")
    at = _click(at, "Undo...")
    assert _active_reviews() == 24  # not yet: a confirm step
    assert any("Its reviews stop counting" in w.value for w in at.warning)
    at = _click(at, "Yes, undo it")
    assert _active_reviews() == 0
    assert any("undone: 24 reviews removed" in _unescape(s.value) for s in at.success)
    assert at.dataframe[0].value.loc[0, "status"] == "undone"
    log = audit_log(_con().cursor())
    assert log["action"].tolist()[:2] == ["undo", "import"]
    assert set(log["who"]) == {"upload-tester"}
    assert log.loc[0, "category"] == "erasure"


def test_keep_on_the_confirm_step_changes_nothing(db):
    at = _click(_upload(_app(), ("q2.xlsx", good_workbook())), "Import")
    at = _click(_click(at, "Undo..."), "No, keep it")
    assert _active_reviews() == 24 and [b for b in at.button if b.label == "Undo..."]


def test_regional_download_is_logged_and_imports_back_to_the_same_tidy_data(db, tmp_path):
    con = _con()
    ingest_bytes(con, good_workbook(), "q2.xlsx", who="x")
    data = downloads.regional_bytes(con, "2024/25 Q2", "downloader")
    exports = audit_log(con.cursor(), actions=("export",))
    assert exports.loc[0, "who"] == "downloader" and "regional" in exports.loc[0, "detail"]

    other = store.connect(tmp_path / "other.duckdb")
    assert ingest_bytes(other, data, "download.xlsx", who="x")["status"] == "imported"
    pd.testing.assert_frame_equal(tidy_frame(con.cursor()), tidy_frame(other.cursor()))


def test_tidy_download_neutralises_formulas_and_follows_the_filters(db):
    from analysis.filters import Filters

    con = _con()
    ingest_bytes(con, good_workbook(), "q2.xlsx", who="x")
    con.cursor().execute(
        "UPDATE answers SET feedback = '=HYPERLINK(\"x\")' WHERE rowid = "
        "(SELECT min(rowid) FROM answers)"
    )
    store.refresh_facts(con.cursor())
    csv = downloads.tidy_bytes(con, Filters(forces=("Cumbria",)), "CSV", "downloader")
    df = pd.read_csv(io.BytesIO(csv))
    assert set(df["force"]) == {"Cumbria"} and len(df) == 4 * 33
    parquet = pd.read_parquet(io.BytesIO(downloads.tidy_bytes(con, Filters(), "Parquet", "d")))
    assert len(parquet) == 24 * 33
    assert not any(
        str(v).startswith("=")
        for v in pd.read_csv(io.BytesIO(downloads.tidy_bytes(con, Filters(), "CSV", "d")))[
            "feedback"
        ]
    )
    assert len(audit_log(con.cursor(), actions=("export",))) == 3


def test_template_summary_and_chart_downloads_are_logged(db):
    from dashboard.exports.charts import PNG_MAGIC

    con = _con()
    ingest_bytes(con, good_workbook(), "q2.xlsx", who="x")
    import datetime as dt

    options = downloads._template_quarters(con, ["2024/25 Q2"], today=dt.date(2025, 5, 1))
    assert options[0] == "2024/25 Q3"  # the quarter after the latest with data comes first
    assert {"2025/26 Q1", "2025/26 Q2", "2024/25 Q2"} <= set(options)
    template = downloads.template_file_bytes(con, "2025/26 Q1", "Cumbria", "d")
    assert template[:2] == b"PK"
    text = downloads.summary_bytes(con, "2024/25 Q2", "d").decode()
    assert text.startswith("ARMS peer review - quarter summary - 2024/25 Q2")
    assert b"<h1>" in downloads.summary_bytes(con, "2024/25 Q2", "d", html=True)
    assert downloads.heatmap_png(con, "2024/25 Q2", "d").startswith(PNG_MAGIC)
    kinds = audit_log(con.cursor(), actions=("export",))["detail"].str.extract(r'"kind": "(\w+)"')
    assert sorted(kinds[0]) == ["chart", "summary", "summary", "template"]


def test_the_size_limit_setting_is_checked_in_code_with_a_clear_message(db):
    from dashboard.settings import save_settings

    save_settings(_con(), {"max_upload_mb": 1}, "admin")
    at = _upload(_app(), ("big.xlsx", b"PK" + b"\0" * 1_300_000))
    assert [_unescape(e.value) for e in at.error] == ["big.xlsx is 1.3 MB, over the 1 MB limit"]
    assert _active_reviews() == 0


def test_a_decompression_bomb_is_refused_before_parsing(db):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 30_000_000 + b">")
    at = _upload(_app(), ("bomb.xlsx", buf.getvalue()))
    assert len(at.error) == 1 and "possible zip bomb" in _unescape(at.error[0].value)
    assert _active_reviews() == 0


def test_demo_data_is_announced_and_can_be_removed_after_a_confirm(tmp_path, monkeypatch):
    from tests.demo_db import demo_copy

    path = demo_copy(tmp_path)
    monkeypatch.setenv("ARMS_DB", str(path))
    monkeypatch.setenv("ARMS_NO_AUTODEMO", "1")
    monkeypatch.setenv("ARMS_USER", "upload-tester")
    at = _app()
    assert any("DEMO DATA" in i.value for i in at.info)
    at = _click(at, "Remove demo data...")
    assert _active_reviews() > 0  # not yet: a confirm step
    at = _click(at, "Yes, remove the demo data")
    assert _active_reviews() == 0 and not store.is_demo(_con())
    assert _con().cursor().execute("SELECT count(*) FROM interventions").fetchone()[0] == 0
    assert any("Demo data removed" in _unescape(s.value) for s in at.success)
    assert not [b for b in at.button if b.label == "Remove demo data..."]


def test_a_tidy_export_with_several_quarters_uploads_with_quarters_from_its_rows(db, tmp_path):
    from dashboard.exports.tidy import to_xlsx_bytes
    from dashboard.vocab import Quarter

    src = store.connect(tmp_path / "src.duckdb")
    ingest_bytes(src, good_workbook(Quarter(2024, 1), forces=("Cumbria",)), "q1.xlsx", who="x")
    ingest_bytes(src, good_workbook(forces=("Cumbria",)), "q2.xlsx", who="x")
    tidy = to_xlsx_bytes(tidy_frame(src.cursor()))

    at = _upload(_app(), ("tidy.xlsx", tidy))
    assert not at.error
    summary = "2024/25 Q1 to 2024/25 Q2 (from the rows) · 1 force · 8 reviews"
    assert any(t.startswith(summary) for t in _texts(at))
    assert not [s for s in at.selectbox if s.key.startswith("upl_q_")]  # nothing to choose
    _click(at, "Import")
    pd.testing.assert_frame_equal(tidy_frame(_con().cursor()), tidy_frame(src.cursor()))


def test_reworded_questions_are_listed_to_check_and_unmatched_rows_kept(db):
    at = _upload(_app(), ("cumbria.xlsx", reworded_workbook()))
    headings = [m.value for m in at.markdown]
    assert any(h.startswith("**Question matches to check** (2,") for h in headings)
    assert any(h.startswith("**Rows that matched no question** (4)") for h in headings)
    tables = [d.value for d in at.dataframe]
    matches = next(t for t in tables if "matched question" in t.columns)
    assert list(matches["matched question"]) == ["1.1", "1.2"]
    assert matches["question set text"].iloc[0].startswith("Was the ARMS assessment completed")
    unmatched = next(t for t in tables if list(t.columns)[:3] == ["sheet", "cell", "text"])
    assert set(unmatched["text"]) == {"Has the local weather been considered?"}
    warnings = next(t for t in tables if "kind" in t.columns)
    assert "unmatched-question" in set(warnings["kind"])
