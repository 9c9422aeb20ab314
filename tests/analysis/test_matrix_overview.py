"""The grade matrix, cell drill-down, the quarters and dimensions, and the headline tiles."""

import pytest

from analysis.filters import Filters
from analysis.matrix import cell_answers, grade_matrix
from analysis.overview import dimension_values, headline, quarters
from dashboard.settings import Settings
from tests.analysis.builder import NA_, RI, UNGRADED, A, G, I, O, q

ALL = Filters()


@pytest.fixture
def small(db):
    # Cheshire, 1.1, quarter 0: O G RI I plus one N/A and one ungraded
    db.review(0, "Cheshire", {"1.1": (O, "clear and timely"), "1.2": G}, risk_level="Low")
    db.review(0, "Cheshire", {"1.1": G}, risk_level="Medium", officer="DC Hart")
    db.review(0, "Cheshire", {"1.1": (RI, "late"), "2.1": RI}, risk_level="High")
    db.review(0, "Cheshire", {"1.1": I}, risk_level="Very high")
    db.review(0, "Cheshire", {"1.1": NA_}, risk_level=None)
    db.review(0, "Cheshire", {"1.1": UNGRADED}, risk_level="Low")
    # Lancashire, 1.1: two quarters
    db.review(0, "Lancashire", {"1.1": G}, reviewing_force="Merseyside")
    db.review(1, "Lancashire", {"1.1": RI}, reviewing_force="Merseyside")
    return db


def cell(df, row, col):
    hit = df[(df.row_key == row) & (df.col_key == col)]
    assert len(hit) == 1, (row, col)
    return hit.iloc[0]


def test_matrix_question_by_force_counts_every_grade(small):
    df = grade_matrix(small.cur(), ALL, "question", "force")
    c = cell(df, "1.1", "Cheshire")
    assert (c.n, c.n_na, c.n_ungraded, c.answers) == (4, 1, 1, 6)
    assert (c.n_outstanding, c.n_good, c.n_adequate, c.n_ri, c.n_inadequate) == (1, 1, 0, 1, 1)
    assert c.avg_score == pytest.approx(2.5)
    assert c.share_failing == pytest.approx(0.5) and c.share_good == pytest.approx(0.5)
    assert c.grade == RI  # 2.5 is a split: shown as the lower grade, like a tie at fail_share
    assert c.row_label.startswith("Was the ARMS assessment completed")
    assert c.section == "Timeliness and process" and c.section_no == 1
    lan = cell(df, "1.1", "Lancashire")
    assert (lan.n, lan.avg_score, lan.grade) == (2, 2.5, RI)
    # rows in question order, columns in the region's order (Cheshire before Lancashire)
    assert df[["row_key", "col_key"]].values.tolist() == [
        ["1.1", "Cheshire"],
        ["1.1", "Lancashire"],
        ["1.2", "Cheshire"],
        ["2.1", "Cheshire"],
    ]


def test_matrix_five_grade_scale_colours_the_middle_as_adequate(db):
    db.same(0, "Cheshire", "1.1", [A, A, G, RI])
    df = grade_matrix(db.cur(), ALL, "question", "force", Settings(five_grades=True))
    c = cell(df, "1.1", "Cheshire")
    assert (c.n_adequate, c.n_good, c.n_ri, c.n) == (2, 1, 1, 4)
    assert c.share_failing == pytest.approx(0.25)  # Adequate is not a failure
    assert c.grade == A


def test_matrix_by_risk_level_keeps_unrecorded_levels_last(small):
    df = grade_matrix(small.cur(), Filters(forces=("Cheshire",)), "question", "risk_level")
    got = df[df.row_key == "1.1"][["col_label", "n", "n_na"]].values.tolist()
    assert got == [
        ["Low", 1, 0],
        ["Medium", 1, 0],
        ["High", 1, 0],
        ["Very high", 1, 0],
        ["Not recorded", 0, 1],
    ]
    none = df[df.col_label == "Not recorded"].iloc[0]
    assert none.col_key is None and none.grade is None


def test_matrix_by_quarter_and_section(small):
    df = grade_matrix(small.cur(), ALL, "section", "quarter")
    assert df[["row_key", "col_key", "n"]].values.tolist() == [
        ["Timeliness and process", q(0).label, 6],
        ["Timeliness and process", q(1).label, 1],
        ["Information gathering", q(0).label, 1],
    ]
    assert df.col_order.tolist()[:2] == [q(0).index, q(1).index]


def test_matrix_by_reviewing_force_and_filters(small):
    df = grade_matrix(small.cur(), Filters(quarter_to=q(0).index), "question", "reviewing_force")
    assert cell(df, "1.1", "Merseyside").n == 1
    assert cell(df, "1.1", "Cumbria").n == 4
    df = grade_matrix(
        small.cur(), Filters(sections=("Information gathering",)), "question", "force"
    )
    assert df.row_key.tolist() == ["2.1"]


def test_matrix_refuses_unknown_dimensions(small):
    with pytest.raises(ValueError):
        grade_matrix(small.cur(), ALL, "question", "officer; DROP TABLE answers")


def test_cell_answers_are_the_answers_behind_the_cell(small):
    df = cell_answers(small.cur(), ALL, "question", "1.1", "force", "Cheshire")
    assert len(df) == 6
    assert df.risk_level.fillna("none").tolist() == [
        "Low",
        "Low",
        "Medium",
        "High",
        "Very high",
        "none",
    ]
    assert set(df.grade.dropna()) == {O, G, RI, I, NA_}
    assert df[df.grade == O].feedback.item() == "clear and timely"
    assert df[df.grade == G].officer.item() == "DC Hart"
    first = [
        "quarter",
        "force",
        "reviewing_force",
        "risk_level",
        "case_id",
        "officer",
        "question_id",
        "question",
        "grade",
        "feedback",
    ]
    assert list(df.columns[:10]) == first
    none = cell_answers(small.cur(), ALL, "question", "1.1", "risk_level", None)
    assert none.grade.tolist() == [NA_]
    sec = cell_answers(small.cur(), ALL, "section", "Timeliness and process", "quarter", q(1).label)
    assert sec.force.tolist() == ["Lancashire"]


def test_quarters_and_dimension_values(small):
    qs = quarters(small.cur())
    assert qs.quarter.tolist() == [q(0).label, q(1).label]
    assert qs.reviews.tolist() == [7, 1]
    assert str(qs.quarter_start[0])[:10] == q(0).start.isoformat()
    dims = dimension_values(small.cur())
    assert dims["forces"] == ["Cheshire", "Lancashire"]
    assert dims["reviewing_forces"] == ["Merseyside", "Cumbria"]  # region order
    assert dims["risk_levels"] == ["Low", "Medium", "High", "Very high"]
    assert dims["sections"][0] == "Timeliness and process" and len(dims["sections"]) == 7
    assert dims["questions"].question_id.tolist()[:3] == ["1.1", "1.2", "1.3"]
    assert len(dims["all_forces"]) == 6


def test_headline_compares_with_the_previous_quarter_with_data(db):
    db.same(0, "Cheshire", "1.1", [RI, RI])  # failing
    db.same(1, "Cheshire", "1.1", [G, RI, I, NA_])  # 1/3 good, 2/3 failing: 2nd failing q
    db.same(3, "Cheshire", "1.1", [O, G, G, RI])  # 3/4 good; quarter 2 has no data
    h = headline(db.cur(), ALL)
    assert h["quarter"] == q(3).label and h["prev_quarter"] == q(1).label
    assert (h["reviews"], h["answers"], h["n"], h["n_prev"]) == (4, 4, 4, 3)
    assert h["share_good"] == pytest.approx(0.75)
    assert h["share_good_prev"] == pytest.approx(1 / 3)
    assert h["change_pts"] == pytest.approx(100 * (0.75 - 1 / 3))
    assert h["share_failing"] == pytest.approx(0.25)
    assert h["open_repeat_failures"] == 0  # quarter 3 passes: the streak ended
    # a one-quarter view of quarter 1 still compares with quarter 0 and sees the open streak
    one = headline(db.cur(), Filters(quarter_from=q(1).index, quarter_to=q(1).index))
    assert one["quarter"] == q(1).label and one["prev_quarter"] == q(0).label
    assert one["share_good_prev"] == 0.0 and one["open_repeat_failures"] == 1


def test_headline_on_an_empty_selection(db):
    h = headline(db.cur(), ALL)
    assert h["quarter"] is None and h["reviews"] == 0 and h["open_repeat_failures"] == 0


def test_headline_shows_nothing_for_a_range_without_data(db):
    db.same(0, "Cheshire", "1.1", [G])
    later = Filters(quarter_from=q(2).index, quarter_to=q(3).index)
    assert headline(db.cur(), later)["quarter"] is None
    first = headline(db.cur(), Filters(quarter_to=q(0).index))
    assert first["quarter"] == q(0).label and first["prev_quarter"] is None
    assert first["change_pts"] is None and first["share_good"] == 1.0


def test_a_new_question_set_keeps_the_old_questions_that_reviews_used(db):
    from dashboard import questions

    db.same(0, "Cheshire", "1.1", [G])  # graded against the illustrative set (version 1)
    csv = b"question_id,section,text\n1.1,Timing,Done on time?\nA2,Actions,Are actions dated?\n"
    questions.import_question_set(db.con, csv, "force_set.csv", "tester")
    qs = dimension_values(db.cur())["questions"]
    assert qs.question_id.tolist()[:2] == ["1.1", "A2"]  # the active set first, its wording
    assert qs.question.tolist()[0] == "Done on time?"
    assert "6.4" in qs.question_id.tolist()  # the old set is still in use by a review
    m = grade_matrix(db.cur(), ALL)
    assert m.row_label.tolist() == ["Done on time?"]  # labels follow the active set
