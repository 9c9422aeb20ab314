"""Choices users rely on keeping: the Feedback explorer's grades and themes and the Good
practice grade survive a page change and live in the URL; shares show whole percentages
(the CSV keeps the exact share); the overview says how a split average is coloured."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from dashboard.ui import tables
from dashboard.vocab import GOOD, INADEQUATE, OUTSTANDING, REQUIRES_IMPROVEMENT
from tests.pages.conftest import open_app, texts


def _no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _leave_and_come_back(at, page_file: str) -> None:
    at.switch_page("../pages/2_Heatmap_explorer.py").run()
    at.query_params.clear()  # a browser's navigation drops the previous page's URL parameters
    at.switch_page(f"../pages/{page_file}").run()
    _no_exception(at)


def test_feedback_grades_and_themes_survive_a_page_change_and_live_in_the_url(fixture_db):
    at = open_app(fixture_db, "feedback")
    at.multiselect(key="w_grade").set_value([INADEQUATE.name]).run()
    at.multiselect(key="w_theme").set_value(["Actions"]).run()
    _no_exception(at)
    assert at.query_params.get("grade") in (INADEQUATE.name, [INADEQUATE.name])
    assert at.query_params.get("theme") in ("Actions", ["Actions"])
    _leave_and_come_back(at, "4_Feedback_explorer.py")
    assert at.multiselect(key="w_grade").value == [INADEQUATE.name]
    assert at.multiselect(key="w_theme").value == ["Actions"]
    assert at.query_params.get("grade") in (INADEQUATE.name, [INADEQUATE.name])


def test_a_feedback_link_reproduces_the_grades(fixture_db):
    at = open_app(fixture_db, "feedback", query={"grade": [INADEQUATE.name, "not a grade"]})
    _no_exception(at)
    assert at.multiselect(key="w_grade").value == [INADEQUATE.name]
    res = next(d.value for d in at.dataframe if "feedback" in d.value.columns)
    assert len(res) == 12 and set(res["grade"]) == {INADEQUATE.name}


def test_good_practice_grade_choice_survives_a_page_change_and_lives_in_the_url(fixture_db):
    both = f"{OUTSTANDING.name} or {GOOD.name}"
    at = open_app(fixture_db, "good-practice")
    assert at.radio(key="w_level").value == OUTSTANDING.name
    at.radio(key="w_level").set_value(both).run()
    assert at.query_params.get("level") == both
    _leave_and_come_back(at, "6_Good_practice.py")
    assert at.radio(key="w_level").value == both
    at = open_app(fixture_db, "good-practice", query={"level": both})
    assert at.radio(key="w_level").value == both


def test_shares_show_whole_percentages_and_the_csv_keeps_the_share():
    df = pd.DataFrame({"question_id": ["1.1"], "share_failing": [23 / 36], "n": [36], "avg": [2.5]})
    cfg = {"share_failing": st.column_config.NumberColumn("failing", format="percent")}
    shown, config = tables.whole_percentages(df, cfg)
    assert round(shown["share_failing"].iloc[0]) == 64  # drawn as "64%"
    assert config["share_failing"]["type_config"]["format"] == tables.PERCENT_FORMAT
    assert config["share_failing"]["label"] == "failing"
    assert shown["avg"].iloc[0] == 2.5 and df["share_failing"].iloc[0] == 23 / 36
    # a share column without a configuration is found by its name
    shown, config = tables.whole_percentages(df[["share_failing", "n"]], None)
    assert config["share_failing"]["type_config"]["format"] == "%.0f%%"
    # the download has the exact share
    back = pd.read_csv(io.BytesIO(tables.csv_bytes(df)), encoding="utf-8-sig")
    assert abs(back["share_failing"].iloc[0] - 23 / 36) < 1e-12


def test_tables_on_a_page_show_whole_percentages(fixture_db):
    at = open_app(fixture_db)
    _no_exception(at)
    good = next(d for d in at.dataframe if "share_good" in d.value.columns)
    assert good.value["share_good"].between(0, 100).all()
    assert (good.value["share_good"] > 1).any()  # x100, not 0..1


def test_overview_caption_says_a_split_shows_the_lower_grade(fixture_db):
    at = open_app(fixture_db)
    caption = next(t for t in texts(at) if "exactly between two grades" in t)
    assert "lower" in caption and f"show {REQUIRES_IMPROVEMENT.name}" in caption
