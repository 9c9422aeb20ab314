"""The coordinator's quarter-end flow in a real browser: upload through the real uploader,
read the validation report, import, see the overview change, download the regional
workbook (it imports back to the same tidy data), a refused file's one-line reason, undo.

Screenshots at 1920x1080 (8_upload_*.png) go to a temporary folder, or to
``ARMS_SCREENSHOTS_DIR`` (``bench/screenshots.py`` sets it to docs/screenshots/).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.browser.conftest import wait_for_app
from tests.pages.upload_workbooks import NOT_A_WORKBOOK, good_workbook, reworded_workbook

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _shot(page, name: str, shots: Path) -> None:
    page.screenshot(path=str(shots / name))


def _open(page, app, path: str) -> None:
    page.goto(f"{app.url}/{path}")
    wait_for_app(page)


def _upload(page, name: str, data: bytes) -> None:
    page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": data}]
    )
    page.get_by_text("Nothing has been written yet").first.wait_for()
    wait_for_app(page)


def _scroll_to(page, text: str) -> None:
    wait_for_app(page)  # a tab switch reruns the script: its elements are redrawn
    for attempt in range(3):
        try:
            page.get_by_text(text).first.scroll_into_view_if_needed()
            break
        except Exception:  # detached by a late redraw: find it again
            if attempt == 2:
                raise
            wait_for_app(page)
    page.wait_for_timeout(300)


def test_upload_check_import_download_refuse_undo(
    fresh_app, page, tmp_path, monkeypatch, shots_dir
):
    # an empty database: the overview says how to load data
    _open(page, fresh_app, "overview")
    page.get_by_text("There are no reviews in the database yet").wait_for()

    # upload through the real uploader: the report comes before anything is written
    _open(page, fresh_app, "upload")
    page.get_by_text("Signed in as browser-test (ARMS_USER)").wait_for()
    original = good_workbook()
    _upload(page, "ARMS regional 2024-25 Q2.xlsx", original)
    summary = page.get_by_text("2024/25 Q2 (from the title) · 6 forces · 24 reviews").first
    summary.wait_for()
    assert "792 answers" in summary.inner_text()
    _shot(page, "8_upload_report.png", shots_dir)
    page.get_by_role("button", name="Import", exact=True).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    _shot(page, "8_upload_report_end.png", shots_dir)

    # import: a one-line success, and the overview has data at once
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("as import #1: 2024/25 Q2, 24 reviews, 792 answers").wait_for()
    wait_for_app(page)
    _shot(page, "8_upload_imported.png", shots_dir)
    _open(page, fresh_app, "overview")
    page.get_by_text("2024/25 Q2").first.wait_for()  # rendered, with the new quarter
    assert page.get_by_text("There are no reviews in the database yet").count() == 0

    # the regional workbook downloads and imports back to the same tidy data
    _open(page, fresh_app, "upload")
    page.get_by_role("tab", name="Downloads").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download regional workbook 2024/25 Q2").click()
    downloaded = tmp_path / "regional.xlsx"
    info.value.save_as(downloaded)
    _same_tidy_data(original, downloaded.read_bytes(), tmp_path, monkeypatch)

    # a refused file reads as one line
    _upload(page, "returns.xlsx", NOT_A_WORKBOOK)
    alert = page.locator("[data-testid='stAlert']").filter(has_text="returns.xlsx is a text/CSV")
    assert alert.locator("[data-testid='stMarkdownContainer']").inner_text().strip() == (
        "returns.xlsx is a text/CSV file, not an .xlsx workbook: open it in Excel and save as .xlsx"
    )
    _shot(page, "8_upload_refused.png", shots_dir)
    page.get_by_role("button", name="Dismiss").click()
    wait_for_app(page)

    # the history, then undo with a confirm step
    page.get_by_role("tab", name="Import history").click()
    _scroll_to(page, "Undo an import")
    _shot(page, "8_upload_history.png", shots_dir)
    page.get_by_role("button", name="Undo...").click()
    page.get_by_role("button", name="Yes, undo it").click()
    page.get_by_text("Import #1 undone: 24 reviews removed").wait_for()
    wait_for_app(page)
    _open(page, fresh_app, "overview")
    page.get_by_text("There are no reviews in the database yet").wait_for()


def _same_tidy_data(original: bytes, downloaded: bytes, tmp_path: Path, monkeypatch) -> None:
    """Import the original and the download into two fresh databases with the app's key."""
    from dashboard import store
    from dashboard.exports.tidy import tidy_frame
    from dashboard.importer import ingest_bytes

    monkeypatch.setenv("ARMS_KEY_FILE", str(tmp_path / "pseudonym.key"))  # the app's key
    frames = []
    for name, data in (("original.xlsx", original), ("downloaded.xlsx", downloaded)):
        con = store.connect(tmp_path / f"{name}.duckdb")
        assert ingest_bytes(con, data, name, who="t")["status"] == "imported"
        frames.append(tidy_frame(con.cursor()))
        con.close()
    assert len(frames[0]) == 792
    pd.testing.assert_frame_equal(frames[0], frames[1])


def test_demo_data_is_announced_and_the_downloads_are_offered(demo_app, page, shots_dir):
    # read-only: looks, never clicks a download or a write
    _open(page, demo_app, "upload")
    page.get_by_text("The database holds the illustrative DEMO DATA").wait_for()
    page.get_by_role("button", name="Remove demo data...").wait_for()
    page.get_by_role("tab", name="Downloads").click()
    wait_for_app(page)
    page.get_by_text("Collated regional workbook").wait_for()
    for name in (
        "Download regional workbook",
        "Download blank template",
        "Download tidy data",
        "Summary (text)",
        "Heatmap (PNG)",
    ):
        page.get_by_role("button", name=name).first.wait_for()  # tabs rerun on a switch
    _shot(page, "8_upload_downloads.png", shots_dir)
    page.get_by_role("tab", name="Audit log").click()
    wait_for_app(page)
    _shot(page, "8_upload_audit_log.png", shots_dir)

    # a file over server.maxUploadSize (.streamlit/config.toml) never reaches the server
    page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(
        files=[{"name": "huge.xlsx", "mimeType": XLSX, "buffer": b"PK" + b"\0" * 26_500_000}]
    )
    page.get_by_text("or smaller").first.wait_for()
    assert "25" in page.get_by_text("or smaller").first.inner_text()

    # checking a file writes nothing, so this is still read-only: what a re-send replaces,
    # reworded questions to check and a row that matched no question
    _upload(page, "Cumbria corrected.xlsx", reworded_workbook())
    page.get_by_text("Replaces Cumbria 2024/25 Q2").first.wait_for()
    _scroll_to(page, "Question matches to check")
    _shot(page, "8_upload_matches.png", shots_dir)
