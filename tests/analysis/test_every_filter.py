"""Every analysis function with every filter set at once: the filter SQL binds in the right
place (parameter order, table aliases) and narrows every result to the chosen slice."""

import datetime as dt

import pytest

from analysis import (
    feedback,
    force_profile,
    good_practice,
    matrix,
    overview,
    repeat_failures,
    training_needs,
    trends,
)
from analysis.filters import Filters
from dashboard.interventions import add_intervention
from dashboard.settings import Settings
from tests.analysis.builder import RI, G, I, O, q

SETTINGS = Settings(themes={"Actions": ["action", "dated"], "Supervision": ["sign-off"]})


@pytest.fixture
def two_forces(db):
    for i in range(4):
        for force, reviewer in (("Cheshire", "Cumbria"), ("Lancashire", "Merseyside")):
            for risk in ("High", "Low"):
                db.review(
                    i,
                    force,
                    {
                        "6.4": (RI if i < 3 else O, "Actions not dated"),
                        "6.1": (I, "action plan missing"),
                        "1.1": (G, "sign-off seen"),
                    },
                    risk_level=risk,
                    reviewing_force=reviewer,
                    officer=f"DC {force[:3]}",
                )
    add_intervention(
        db.con, "Cheshire", "CPD", q(2).start + dt.timedelta(days=3), "t", question_id="6.4"
    )
    return db


NARROW = Filters(
    quarter_from=q(0).index,
    quarter_to=q(3).index,
    forces=("Cheshire",),
    reviewing_forces=("Cumbria",),
    risk_levels=("High",),
    sections=("Risk management plan",),
    questions=("6.4", "6.1"),
    officers=("DC Che",),
)


def forces_in(df, col="force"):
    return set(df[col].dropna()) - {"Region"}


def test_every_function_accepts_every_filter_and_keeps_to_the_slice(two_forces):
    cur = two_forces.cur()
    f, s = NARROW, SETTINGS
    m = matrix.grade_matrix(cur, f, "question", "force", s)
    assert forces_in(m, "col_key") == {"Cheshire"} and set(m.row_key) == {"6.4", "6.1"}
    assert m.n.sum() == 8  # 4 quarters x 1 High case x 2 questions
    for cols in matrix.COLS:
        assert not matrix.grade_matrix(cur, f, "section", cols, s).empty
    cell = matrix.cell_answers(cur, f, "question", "6.4", "force", "Cheshire")
    assert len(cell) == 4 and set(cell.risk_level) == {"High"}
    h = overview.headline(cur, f, s)
    assert h["quarter"] == q(3).label and h["n"] == 2 and h["open_repeat_failures"] == 1
    assert len(repeat_failures.failing_quarters(cur, f, s)) == 8
    rf = repeat_failures.repeat_failures(cur, f, s)
    assert sorted(rf.question_id) == ["6.1", "6.4"] and forces_in(rf) == {"Cheshire"}
    for by in trends.BY:
        t = trends.quarter_trend(cur, f, by)
        assert t.n.sum() == 8
    imp = trends.improving_declining(cur, f, s)
    assert forces_in(imp) == {"Cheshire"}
    assert imp.set_index(["question_id", "force"]).loc[("6.4", "Cheshire")].direction == "improving"
    officers = training_needs.officer_training_needs(cur, f, s)
    assert set(officers.officer) == {"DC Che"} and forces_in(officers) == {"Cheshire"}
    ftn = training_needs.force_training_needs(cur, f, s)
    assert forces_in(ftn) == {"Cheshire"}
    topics = training_needs.suggested_topics(cur, f, s)
    assert set(topics.topic) == {"Risk management plan", "Actions"}
    assert all(x == ["Cheshire"] for x in topics.forces)
    res = feedback.search_feedback(cur, f, "dated", themes=("Actions",), theme_keywords=s.themes)
    assert len(res) == 4 and forces_in(res) == {"Cheshire"}
    tc = feedback.theme_counts(cur, f, s.themes).set_index("theme")
    assert tc.loc["Actions", "answers"] == 8 and tc.loc["Supervision", "answers"] == 0
    gp = good_practice.good_practice(cur, f)
    assert len(gp) == 1 and gp.quarter.item() == q(3).label
    fvr = force_profile.force_vs_region(cur, f, "Cheshire").set_index("question_id")
    # the force filter is ignored for the region, the others apply (they leave Cheshire)
    assert (fvr.loc["6.4", "force_n"], fvr.loc["6.4", "region_n"]) == (4, 4)
    wide = force_profile.force_vs_region(cur, f.but(reviewing_forces=(), officers=()), "Cheshire")
    assert wide.set_index("question_id").loc["6.4", "region_n"] == 8
    off = force_profile.officer_summary(cur, f, "Cheshire", s)
    assert off.officer.tolist() == ["DC Che"] and off.n.item() == 8
    eff = training_needs.intervention_effect(cur, s)
    assert (eff.before_n.item(), eff.after_n.item()) == (4, 2)  # not filtered: q0-1 vs q3


def test_a_filter_that_matches_nothing_gives_empty_results(two_forces):
    cur = two_forces.cur()
    none = Filters(forces=("Cumbria",))
    assert matrix.grade_matrix(cur, none).empty
    assert repeat_failures.repeat_failures(cur, none).empty
    assert trends.quarter_trend(cur, none).empty
    assert trends.improving_declining(cur, none).empty
    assert training_needs.suggested_topics(cur, none, SETTINGS).empty
    assert feedback.search_feedback(cur, none).empty
    assert (feedback.theme_counts(cur, none, SETTINGS.themes).answers == 0).all()
    assert overview.headline(cur, none)["quarter"] is None
