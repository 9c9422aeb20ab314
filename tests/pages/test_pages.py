"""Every page runs on the demo, on the fixture and on an empty database, and shows the
numbers users rely on. Pages are reached through the app's own navigation."""

from __future__ import annotations

import base64
import datetime as dt
import json

import numpy as np
import pytest

from dashboard.ui.pages import PAGES
from tests.pages import fixture_db as fx
from tests.pages.conftest import open_app, texts

DATA_PAGES = [p for p in PAGES if p.needs_data]


def _no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _frames(at) -> list:
    return [d.value for d in at.dataframe]


def _frame_with(at, *columns):
    for df in _frames(at):
        if all(c in df.columns for c in columns):
            return df
    raise AssertionError(
        f"no table with columns {columns}: {[list(d.columns) for d in _frames(at)]}"
    )


def _decode(obj):
    """Plotly writes numeric arrays as base64 typed arrays ({"dtype", "bdata"}): decode them."""
    if isinstance(obj, dict) and "bdata" in obj and "dtype" in obj:
        arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
        if "shape" in obj:
            arr = arr.reshape([int(x) for x in str(obj["shape"]).split(",")])
        return arr.tolist()
    if isinstance(obj, dict):
        return {k: _decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    return obj


def _chart_specs(at) -> list[dict]:
    return [_decode(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]


def _heatmap_spec(at) -> dict:
    for spec in _chart_specs(at):
        if any(t.get("name") == "cells" for t in spec["data"]):
            return spec
    raise AssertionError("no heatmap on the page")


def _cell_text(spec: dict, row_key: str, col_label: str) -> str:
    """The text written in the heatmap cell for (row_key, column label)."""
    grades = next(t for t in spec["data"] if t.get("name") == "grades")
    y_ticks = spec["layout"]["yaxis"]["ticktext"]
    x_ticks = spec["layout"]["xaxis"]["ticktext"]
    i = next(i for i, t in enumerate(y_ticks) if t.startswith(f"{row_key} "))
    return grades["text"][i][x_ticks.index(col_label)]


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_runs_on_the_demo(demo_db, spec):
    at = open_app(demo_db, spec)
    _no_exception(at)
    assert any(spec.title.split()[0] in t for t in texts(at))


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_runs_on_an_empty_database(empty_db, spec):
    at = open_app(empty_db, spec)
    _no_exception(at)
    if spec.needs_data:
        shown = " ".join(texts(at))
        assert "no reviews in the database yet" in shown
        assert "python -m dashboard demo" in shown


def test_demo_data_is_labelled(demo_db, fixture_db, tmp_path):
    at = open_app(demo_db)
    assert any("DEMO DATA" in c for c in texts(at))
    real = tmp_path / "real.duckdb"
    fx.build(real, demo=False).close()
    at = open_app(real)
    _no_exception(at)
    assert not any("DEMO DATA" in c for c in texts(at))


def test_overview_headline_numbers(fixture_db):
    at = open_app(fixture_db)
    _no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    # last quarter: 24 reviews x 33 questions; 12 failures, so 780 of 792 good or better
    assert metrics["Reviews"] == "24"
    assert metrics["Good or better"] == f"{780 / 792:.0%}"
    assert metrics["Open repeat failures"] == "2"  # Lancashire 2.2 and Cumbria 6.3
    assert any("n = 792 graded answers" in c for c in texts(at))


def test_overview_heatmap_cells_carry_grade_text_and_hover_n(fixture_db):
    at = open_app(fixture_db)
    spec = _heatmap_spec(at)
    assert _cell_text(spec, "6.3", "Cumbria") == "I 1.0"  # four Inadequate answers
    assert _cell_text(spec, "2.1", "Merseyside") == "O 4.0"
    assert (
        _cell_text(spec, "2.2", "Lancashire") == "RI 2.5"
    )  # two RI, two Good: a split shows amber
    cells = next(t for t in spec["data"] if t.get("name") == "cells")
    i = cells["customdata"].index(["6.3", "Cumbria"])
    assert "n = 4 graded" in cells["hovertext"][i]
    # sections are grouped: a bold header row per section
    assert sum(t.startswith("<b>") for t in spec["layout"]["yaxis"]["ticktext"]) == 7


def test_clicking_a_cell_shows_its_feedback_as_plain_text(fixture_db):
    at = open_app(fixture_db)
    at.session_state["overview_heatmap__cell"] = {
        "rows": "question",
        "cols": "force",
        "row_key": "6.3",
        "col_key": "Cumbria",
    }
    at.run()
    _no_exception(at)
    answers = _frame_with(at, "feedback", "risk_level")
    assert len(answers) == 4 and set(answers["grade"]) == {"Inadequate"}
    # the nasty feedback is shown verbatim by st.text, never through Markdown
    assert fx.NASTY in [t.value for t in at.text]
    assert not any(fx.NASTY in m.value for m in at.markdown)
    # the selected cell is outlined on the heatmap
    assert _heatmap_spec(at)["layout"].get("shapes")


def test_deep_link_applies_the_filters(fixture_db):
    at = open_app(
        fixture_db,
        "heatmap",
        query={"force": ["Cumbria", "Lancashire"], "risk": "High", "cols": "quarter"},
    )
    _no_exception(at)
    assert at.multiselect(key="w_forces").value == ["Cumbria", "Lancashire"]
    assert at.multiselect(key="w_risk").value == ["High"]
    spec = _heatmap_spec(at)
    assert spec["layout"]["xaxis"]["ticktext"] == [
        "2023/24 Q2",
        "2023/24 Q3",
        "2023/24 Q4",
        "2024/25 Q1",
        "2024/25 Q2",
        "2024/25 Q3",
    ]
    # Cumbria High only for 6.3 in the last quarter: one Inadequate answer among 2 forces' High cases
    assert _cell_text(spec, "6.3", "2024/25 Q3") == "RI 2.0"


def test_filters_survive_a_page_change_and_stay_in_the_url(fixture_db):
    at = open_app(fixture_db, "heatmap")
    at.multiselect(key="w_forces").set_value(["Merseyside"]).run()
    assert at.query_params.get("force") in ("Merseyside", ["Merseyside"])
    at.switch_page("../pages/3_Trends_and_repeat_failures.py").run()
    _no_exception(at)
    assert at.multiselect(key="w_forces").value == ["Merseyside"]
    assert at.query_params.get("force") in ("Merseyside", ["Merseyside"])


def test_trends_lists_repeat_failures(fixture_db):
    at = open_app(fixture_db, "trends")
    _no_exception(at)
    rf = _frame_with(at, "streak", "current")
    assert sorted(zip(rf["force"], rf["question_id"], rf["streak"], strict=True)) == [
        ("Cumbria", "6.3", 3),
        ("Lancashire", "2.2", 6),
    ]
    # the region trend plots one point per quarter with n on hover
    line = _chart_specs(at)[0]["data"][0]
    assert len(line["x"]) == 6 and [c[0] for c in line["customdata"]] == [792] * 6


def test_feedback_search_finds_words(fixture_db):
    at = open_app(fixture_db, "feedback")
    at.text_input(key="w_text").set_value("Inadequate feedback").run()
    _no_exception(at)
    res = _frame_with(at, "feedback", "grade")
    assert len(res) == 11  # 12 Inadequate answers, one of which has other feedback
    assert set(res["grade"]) == {"Inadequate"}
    assert at.query_params.get("text") == "Inadequate feedback"


def test_training_needs_ranks_recurring_failures_and_logs_an_intervention(fixture_db, tmp_path):
    db = tmp_path / "tn.duckdb"
    fx.build(db, demo=True).close()
    at = open_app(db, "training")
    _no_exception(at)
    ftn = _frame_with(at, "failing_quarters", "current_streak")
    assert list(ftn["force"])[:2] == ["Lancashire", "Cumbria"]
    officers = _frame_with(at, "officer", "reviews")
    assert "PC Avery" in set(officers["officer"])
    at.text_input[0].set_value("CPD event: contingency planning")
    next(s for s in at.selectbox if s.label == "For which force *").set_value("Cumbria")
    at.date_input[0].set_value(dt.date(2024, 6, 15))  # 2024/25 Q1: two quarters either side
    submit = next(b for b in at.get("form_submit_button") if "Add to the log" in b.label)
    submit.click().run()
    _no_exception(at)
    assert any("Logged intervention" in s.value for s in at.success)
    effect = _frame_with(at, "before_avg", "after_avg")
    assert list(effect["force"]) == ["Cumbria"]
    assert list(effect["topic"]) == ["CPD event: contingency planning"]
    # before: 2023/24 Q3-Q4 (no 6.3 failures); after: 2024/25 Q2-Q3 (6.3 Inadequate): worse
    assert int(effect["before_n"].iloc[0]) == int(effect["after_n"].iloc[0]) == 2 * 4 * 33
    assert effect["after_avg"].iloc[0] < effect["before_avg"].iloc[0]


def test_good_practice_shows_outstanding_answers(fixture_db):
    at = open_app(fixture_db, "good-practice")
    _no_exception(at)
    gp = _frame_with(at, "feedback", "grade")
    assert (
        len(gp) == 24 and set(gp["force"]) == {"Merseyside"} and set(gp["question_id"]) == {"2.1"}
    )


def test_force_profile_weaknesses(fixture_db):
    at = open_app(fixture_db, "force", query={"profile": "Cumbria"})
    _no_exception(at)
    weak = next(d for d in _frames(at) if "diff" in d.columns and (d["diff"] < 0).all() and len(d))
    assert weak.iloc[0]["question_id"] == "6.3"
    assert int(weak.iloc[0]["force_n"]) == 24


def test_presentation_mode_from_the_url(fixture_db):
    at = open_app(fixture_db, query={"present": "1"})
    _no_exception(at)
    assert at.toggle(key="present").value is True
    assert any("Exit presentation mode" in b.label for b in at.button)


@pytest.mark.parametrize(
    ("rows", "cols", "metric"),
    [
        ("question", "quarter", "share_failing"),
        ("section", "force", "grade"),
        ("section", "risk_level", "share_good"),
        ("question", "reviewing_force", "n"),
    ],
)
def test_heatmap_explorer_draws_every_layout(fixture_db, rows, cols, metric):
    at = open_app(fixture_db, "heatmap", query={"rows": rows, "cols": cols, "metric": metric})
    _no_exception(at)
    spec = _heatmap_spec(at)
    ticks = spec["layout"]["xaxis"]["ticktext"]
    expected = {"quarter": 6, "force": 6, "risk_level": 4, "reviewing_force": 6}[cols]
    assert len(ticks) == expected
    grades = next(t for t in spec["data"] if t.get("name") == "grades")
    flat = [t for row in grades["text"] for t in row if t not in ("", "\u00b7")]
    if metric == "n":
        assert all(t.isdigit() for t in flat)
    elif metric.startswith("share"):
        assert all(t.endswith("%") for t in flat)
    else:
        assert all(t.split()[0] in {"O", "G", "RI", "I"} for t in flat)
    table = _frame_with(at, "row_key", "col_label", "n")
    assert table["n"].sum() == 6 * 24 * 33  # every graded answer is in exactly one cell


def test_trends_follows_one_question_across_forces(fixture_db):
    at = open_app(fixture_db, "trends", query={"question": "6.3"})
    _no_exception(at)
    facets = next(s for s in _chart_specs(at) if "xaxis6" in s["layout"])
    ys = [y for t in facets["data"] for y in t["y"]]
    assert len(ys) == 6 * 6  # six forces, six quarters
    assert ys.count(1.0) == 3 and ys.count(0.0) == 33  # only Cumbria's last three quarters fail


def test_a_cell_can_be_chosen_without_the_mouse(fixture_db):
    at = open_app(fixture_db, "heatmap")
    at.selectbox(key="explorer_heatmap__kb_row").set_value("6.3")
    at.selectbox(key="explorer_heatmap__kb_col").set_value("Cumbria")
    at.button(key="explorer_heatmap__kb_go").click().run()
    _no_exception(at)
    answers = _frame_with(at, "feedback", "risk_level")
    assert len(answers) == 24  # six quarters x four risk levels
    assert sorted(answers["grade"].value_counts().items()) == [("Good", 12), ("Inadequate", 12)]
    # the dialog lists every answer's feedback as plain text too
    assert sum(t.value == fx.NASTY for t in at.text) == 2


def test_a_search_survives_a_visit_to_another_page(fixture_db):
    at = open_app(fixture_db, "feedback", query={"text": "contingency"})
    assert at.text_input(key="w_text").value == "contingency"
    at.switch_page("../pages/2_Heatmap_explorer.py").run()
    at.query_params.clear()  # a browser's navigation drops the previous page's URL parameters
    at.switch_page("../pages/4_Feedback_explorer.py").run()
    _no_exception(at)
    assert at.text_input(key="w_text").value == "contingency"


def test_feedback_selection_over_the_screen_limit_offers_every_match(demo_db):
    at = open_app(demo_db, "feedback")
    _no_exception(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download every match (CSV)" in labels
    # a narrow search fits on screen: no extra button
    at.text_input(key="w_text").set_value('"home visit"').run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download every match (CSV)" not in labels
