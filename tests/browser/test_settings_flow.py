"""The Settings page in a real browser: change a threshold, see it saved (and a screenshot,
kept only when ``ARMS_SCREENSHOTS_DIR`` is set)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_a_threshold_is_saved_with_a_one_line_confirmation(fresh_app, page, shots_dir):
    page.goto(f"{fresh_app.url}/settings")
    wait_for_app(page)
    page.get_by_role("tab", name="Grades and thresholds").click()
    box = page.get_by_role("spinbutton", name="fail_share")
    box.fill("0.6")
    box.press("Tab")
    page.get_by_role("button", name="Save grades and thresholds").click()
    page.get_by_text("Saved the grade scale and thresholds.").wait_for()
    wait_for_app(page)
    # still on the same tab after the save
    assert page.get_by_role("spinbutton", name="fail_share").input_value() == "0.60"
    page.screenshot(path=str(shots_dir / "10_settings.png"))
