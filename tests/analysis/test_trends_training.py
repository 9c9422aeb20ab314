"""Trends, improving/declining questions, training needs, topics and interventions."""

import datetime as dt

import pytest

from analysis.filters import Filters
from analysis.training_needs import (
    force_training_needs,
    intervention_effect,
    interventions,
    officer_training_needs,
    suggested_topics,
)
from analysis.trends import improving_declining, quarter_trend
from dashboard import store
from dashboard.interventions import InterventionError, add_intervention, delete_intervention
from dashboard.settings import Settings
from tests.analysis.builder import NA_, RI, UNGRADED, G, I, O, q

ALL = Filters()


def test_quarter_trend_overall_and_by_force(db):
    db.same(0, "Cheshire", "1.1", [O, RI, NA_])  # n 2, avg 3.0, 1/2 failing, 1/2 good
    db.same(0, "Lancashire", "1.1", [G, G])
    db.same(2, "Cheshire", "1.2", [I, UNGRADED])
    df = quarter_trend(db.cur(), ALL)
    assert df.quarter.tolist() == [q(0).label, q(2).label]
    assert df.n.tolist() == [4, 1]
    assert df.avg_score.tolist() == pytest.approx([3.0, 1.0])
    assert df.share_failing.tolist() == pytest.approx([0.25, 1.0])
    assert df.share_good.tolist() == pytest.approx([0.75, 0.0])
    by = quarter_trend(db.cur(), ALL, by="force")
    assert by[["quarter", "force", "n"]].values.tolist() == [
        [q(0).label, "Cheshire", 2],
        [q(0).label, "Lancashire", 2],
        [q(2).label, "Cheshire", 1],
    ]
    byq = quarter_trend(db.cur(), Filters(forces=("Cheshire",)), by="question")
    assert byq[["question_id", "n"]].values.tolist() == [["1.1", 2], ["1.2", 1]]
    assert byq.question.iloc[1].startswith("Is there evidence of supervisor")
    bys = quarter_trend(db.cur(), ALL, by="section")
    assert set(bys.section) == {"Timeliness and process"}
    with pytest.raises(ValueError):
        quarter_trend(db.cur(), ALL, by="officer")


def test_improving_and_declining_compare_the_latest_quarters_with_the_ones_before(db):
    # quarters 0,1 earlier; 2,3 recent (recent=2)
    for i, grades in enumerate([[RI, I], [RI, RI], [G, G], [O, G]]):
        db.same(i, "Cheshire", "6.4", grades)  # improving: 1.75 -> 3.25
    for i, grades in enumerate([[G], [G], [RI], [RI]]):
        db.same(i, "Lancashire", "6.4", grades)  # declining: 3 -> 2
    for i in range(4):
        db.same(i, "Lancashire", "1.1", [G])  # steady
    df = improving_declining(db.cur(), ALL, Settings(), recent=2)
    got = {
        (r.question_id, r.force): (
            r.earlier_avg,
            r.recent_avg,
            r.n_earlier,
            r.n_recent,
            r.direction,
        )
        for r in df.itertuples()
    }
    assert got[("6.4", "Cheshire")] == (1.75, 3.25, 4, 4, "improving")
    assert got[("6.4", "Lancashire")] == (3.0, 2.0, 2, 2, "declining")
    assert got[("1.1", "Lancashire")][4] == "steady"
    region = got[("6.4", "Region")]
    assert region[:2] == pytest.approx((13 / 6, 17 / 6)) and region[4] == "improving"
    assert df.change.is_monotonic_decreasing
    assert df.recent_quarters.iloc[0] == f"{q(2).label}, {q(3).label}"
    # one quarter of data: nothing to compare
    assert improving_declining(db.cur(), Filters(quarter_from=q(3).index)).empty


def test_officer_training_need_is_failures_in_two_different_reviews(db):
    # DC Hart fails 6.4 in two reviews (different quarters): a need
    db.review(0, "Cheshire", {"6.4": RI, "1.1": RI}, officer="DC Hart")
    db.review(1, "Cheshire", {"6.4": I, "1.1": G}, officer="DC Hart")
    db.review(2, "Cheshire", {"6.4": G}, officer="DC Hart")
    # DC Lee fails 6.4 once, N/A once: not a need
    db.review(0, "Cheshire", {"6.4": RI}, officer="DC Lee")
    db.review(1, "Cheshire", {"6.4": NA_}, officer="DC Lee")
    # two failures in the same quarter, different reviews: a need
    db.review(3, "Lancashire", {"3.1": I}, officer="PC Moss")
    db.review(3, "Lancashire", {"3.1": I}, officer="PC Moss")
    # no officer recorded: never a need
    db.same(0, "Cheshire", "5.1", [I, I, I])
    df = officer_training_needs(db.cur(), ALL)
    got = [
        (r.force, r.officer, r.question_id, r.failures, r.reviews, list(r.quarters))
        for r in df.itertuples()
    ]
    assert got == [
        ("Lancashire", "PC Moss", "3.1", 2, 2, [q(3).label]),
        ("Cheshire", "DC Hart", "6.4", 2, 2, [q(0).label, q(1).label]),
    ]
    assert df.n_graded.tolist() == [2, 3]
    assert officer_training_needs(db.cur(), ALL, Settings(min_officer_reviews=3)).empty
    only = officer_training_needs(db.cur(), Filters(forces=("Cheshire",)))
    assert only.officer.tolist() == ["DC Hart"]


def test_force_training_needs_rank_current_streaks_first(db):
    for i, g in enumerate([[RI], [RI], [G], [RI]]):  # 3 failing quarters, current streak 1
        db.same(i, "Cheshire", "6.4", g)
    for i, g in enumerate([[G], [RI], [I]]):  # 2 failing, current streak 2
        db.same(i, "Lancashire", "6.4", g)
    for i, g in enumerate([[RI], [G]]):  # 1 failing quarter: not recurring
        db.same(i, "Cumbria", "6.4", g)
    df = force_training_needs(db.cur(), ALL)
    got = [
        (r.force, r.failing_quarters, r.quarters_with_data, r.current_streak, r.longest_streak, r.n)
        for r in df.itertuples()
    ]
    assert got == [("Lancashire", 2, 3, 2, 2, 3), ("Cheshire", 3, 4, 1, 2, 4)]
    assert df.share_failing.tolist() == pytest.approx([2 / 3, 3 / 4])


def test_suggested_topics_by_section_and_theme(db):
    for i in range(2):
        db.review(i, "Cheshire", {"6.4": (RI, "Actions are not dated"), "1.1": G})
        db.review(i, "Lancashire", {"6.4": (I, "No SMART actions"), "1.2": (G, "sign-off seen")})
    db.review(0, "Cumbria", {"6.4": (RI, "actions missing")})  # one quarter only
    df = suggested_topics(db.cur(), ALL, Settings())
    rows = {(r.kind, r.topic): (r.forces, r.failures, r.n) for r in df.itertuples()}
    assert rows[("section", "Risk management plan")] == (["Cheshire", "Lancashire"], 5, 5)
    assert rows[("theme", "Actions")] == (["Cheshire", "Lancashire"], 5, 5)
    assert ("theme", "Supervision") not in rows  # mentioned, but no failures
    assert ("section", "Timeliness and process") not in rows
    assert df.iloc[0].n_forces == 2
    custom = suggested_topics(db.cur(), ALL, Settings(themes={"Dates": ["dated"]}))
    assert set(custom[custom.kind == "theme"].topic) == {"Dates"}
    assert custom[custom.topic == "Dates"].forces.item() == ["Cheshire"]


def test_intervention_log_writes_are_audited_and_validated(db):
    v = store.data_version(db.con)
    iid = add_intervention(
        db.con,
        "Cheshire",
        " Action writing CPD ",
        "2024-07-15",
        "lead",
        question_id="6.4",
        notes="half day",
    )
    assert store.data_version(db.con) == v + 1
    log = interventions(db.cur())
    assert log[["intervention_id", "force", "topic", "question_id"]].values.tolist() == [
        [iid, "Cheshire", "Action writing CPD", "6.4"]
    ]
    assert log.question.item().startswith("Are the actions specific")
    audit = db.con.execute("SELECT who, action, detail FROM audit_log").fetchall()
    assert audit[-1][:2] == ("lead", "intervention") and "Action writing CPD" in audit[-1][2]
    with pytest.raises(InterventionError):
        add_intervention(db.con, "Cheshire", "  ", dt.date(2024, 1, 1), "lead")
    with pytest.raises(InterventionError):
        add_intervention(db.con, "Cheshire", "CPD", "last Tuesday", "lead")
    assert delete_intervention(db.con, iid, "lead") is True
    assert delete_intervention(db.con, iid, "lead") is False
    assert interventions(db.cur()).empty
    assert "deleted" in db.con.execute("SELECT detail FROM audit_log").fetchall()[-1][0]


def test_intervention_effect_compares_quarters_before_and_after(db):
    # delivered in q(4) (2024/25 Q2); before = q(2), q(3); after = q(5), q(6)
    delivered = q(4).start + dt.timedelta(days=20)
    db.same(1, "Cheshire", "6.4", [I])  # too early
    db.same(2, "Cheshire", "6.4", [RI, I])
    db.same(3, "Cheshire", "6.4", [RI, NA_])
    db.same(4, "Cheshire", "6.4", [I])  # the delivery quarter: in neither
    db.same(5, "Cheshire", "6.4", [G, O])
    db.same(6, "Cheshire", "6.4", [G, RI])
    db.same(5, "Cheshire", "1.1", [I])  # another question
    db.same(5, "Lancashire", "6.4", [I])  # another force
    db.review(3, "Cheshire", {"6.4": I}, officer="DC Hart")
    db.review(5, "Cheshire", {"6.4": O}, officer="DC Hart")
    whole = add_intervention(
        db.con, "Cheshire", "Action writing", delivered, "lead", question_id="6.4"
    )
    hart = add_intervention(db.con, "Cheshire", "Mentoring", delivered, "lead", officer="DC Hart")
    df = intervention_effect(db.cur(), Settings(), quarters=2).set_index("intervention_id")
    w = df.loc[whole]
    assert (w.before_n, w.after_n) == (4, 5)  # 3 + the officer's I; 4 + the officer's O
    assert w.before_avg == pytest.approx((2 + 1 + 2 + 1) / 4)
    assert w.after_avg == pytest.approx((3 + 4 + 3 + 2 + 4) / 5)
    assert w.before_share_failing == 1.0 and w.after_share_failing == pytest.approx(0.2)
    assert w.change == pytest.approx(w.after_avg - w.before_avg)
    assert w.delivered_quarter == q(4).label
    assert w.before_quarters == f"{q(2).label} to {q(3).label}"
    h = df.loc[hart]
    assert (h.before_n, h.before_avg, h.after_n, h.after_avg) == (1, 1.0, 1, 4.0)
    one = intervention_effect(db.cur(), Settings(), quarters=1).set_index("intervention_id")
    assert (one.loc[whole].before_n, one.loc[whole].after_n) == (2, 3)  # N/A not counted


def test_an_intervention_without_later_data_has_no_after_numbers(db):
    db.same(0, "Cheshire", "6.4", [RI])
    add_intervention(db.con, "Cheshire", "CPD", q(1).start, "lead")
    row = intervention_effect(db.cur()).iloc[0]
    assert row.before_n == 1 and row.after_n == 0
    assert row.after_avg != row.after_avg  # NaN: nothing to compare yet


def test_suggested_topics_without_themes_lists_sections_only(db):
    for i in range(2):
        db.review(i, "Cheshire", {"6.4": (RI, "Actions are not dated")})
    df = suggested_topics(db.cur(), ALL, Settings(themes={}))
    assert df[["topic", "kind", "forces"]].values.tolist() == [
        ["Risk management plan", "section", ["Cheshire"]]
    ]
