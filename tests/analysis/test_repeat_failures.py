"""Failing quarters and repeat-failure streaks: the contract's definitions, edge by edge."""

from analysis.filters import Filters
from analysis.repeat_failures import failing_quarters, repeat_failures
from dashboard.settings import Settings
from tests.analysis.builder import NA_, RI, UNGRADED, A, G, I, q

ALL = Filters()


def streaks(db, filters=ALL, settings=None):
    df = repeat_failures(db.cur(), filters, settings)
    return [
        (r.force, r.question_id, list(r.quarters), r.streak, r.current) for r in df.itertuples()
    ]


def labels(*idx):
    return [q(i).label for i in idx]


def test_two_consecutive_failing_quarters_make_a_current_repeat_failure(db):
    db.same(0, "Cheshire", "6.4", [RI, I, G, G])  # 2/4 = exactly half: fails
    db.same(1, "Cheshire", "6.4", [I, I, I, G])
    assert streaks(db) == [("Cheshire", "6.4", labels(0, 1), 2, True)]
    row = repeat_failures(db.cur(), ALL).iloc[0]
    assert row.first_quarter == q(0).label and row.last_quarter == q(1).label
    assert row.section == "Risk management plan" and "owned and dated" in row.question
    assert (row.n_failing, row.n_graded) == (5, 8)


def test_one_failing_quarter_is_not_a_repeat_failure(db):
    db.same(0, "Cheshire", "6.4", [RI, RI])
    db.same(1, "Cheshire", "6.4", [G, G])
    assert streaks(db) == []
    fq = failing_quarters(db.cur(), ALL)
    assert fq["fails"].tolist() == [True, False]


def test_a_tie_below_half_does_not_fail(db):
    db.same(0, "Cheshire", "1.1", [RI, G, G])  # 1/3
    db.same(1, "Cheshire", "1.1", [RI, G])  # 1/2
    fq = failing_quarters(db.cur(), ALL)
    assert fq[["n_graded", "n_failing", "fails"]].values.tolist() == [[3, 1, False], [2, 1, True]]


def test_a_quarter_without_data_does_not_break_a_streak(db):
    db.same(0, "Cheshire", "1.1", [RI, RI])
    db.same(1, "Cheshire", "1.2", [G])  # the force has data, but not for 1.1
    # quarter 2: no data at all for anyone
    db.same(3, "Cheshire", "1.1", [I, G])
    assert streaks(db) == [("Cheshire", "1.1", labels(0, 3), 2, True)]


def test_na_and_ungraded_answers_are_not_in_the_denominator(db):
    db.same(0, "Cheshire", "1.1", [RI, NA_, NA_, UNGRADED, G])  # 1 failure of 2 graded
    db.same(1, "Cheshire", "1.1", [I, NA_, UNGRADED])  # 1 of 1
    fq = failing_quarters(db.cur(), ALL)
    assert fq[["n_graded", "n_failing", "fails"]].values.tolist() == [[2, 1, True], [1, 1, True]]
    assert streaks(db)[0][3] == 2


def test_a_quarter_with_only_na_answers_is_not_a_quarter_with_data(db):
    db.same(0, "Cheshire", "1.1", [RI])
    db.same(1, "Cheshire", "1.1", [NA_, NA_, UNGRADED])
    db.same(2, "Cheshire", "1.1", [RI])
    assert failing_quarters(db.cur(), ALL)["quarter"].tolist() == labels(0, 2)
    assert streaks(db) == [("Cheshire", "1.1", labels(0, 2), 2, True)]


def test_a_passing_quarter_breaks_a_streak_and_a_new_one_can_start(db):
    for i, grades in enumerate([[RI], [I], [G], [RI], [RI], [I]]):
        db.same(i, "Lancashire", "3.1", grades)
    assert streaks(db) == [
        ("Lancashire", "3.1", labels(3, 4, 5), 3, True),  # current first
        ("Lancashire", "3.1", labels(0, 1), 2, False),
    ]


def test_a_streak_that_ended_is_not_current(db):
    for i, grades in enumerate([[RI], [I], [G, G]]):
        db.same(i, "Merseyside", "5.1", grades)
    assert streaks(db) == [("Merseyside", "5.1", labels(0, 1), 2, False)]


def test_current_means_the_latest_quarter_with_data_for_that_question(db):
    db.same(0, "Cumbria", "2.1", [RI])
    db.same(1, "Cumbria", "2.1", [RI])
    db.same(2, "Cumbria", "7.1", [G])  # later data, other question: 2.1 is still current
    db.same(2, "Cheshire", "2.1", [G])  # another force's later data does not matter either
    assert streaks(db) == [("Cumbria", "2.1", labels(0, 1), 2, True)]


def test_streaks_are_per_force_and_question(db):
    db.same(0, "Cheshire", "1.1", [RI])
    db.same(1, "Lancashire", "1.1", [RI])  # another force: no streak
    db.same(1, "Cheshire", "1.2", [RI])  # another question: no streak
    assert streaks(db) == []


def test_filters_narrow_the_answers_before_streaks_are_counted(db):
    db.same(0, "Cheshire", "1.1", [RI], risk_level="High")
    db.same(0, "Cheshire", "1.1", [G, G], risk_level="Low")
    db.same(1, "Cheshire", "1.1", [RI], risk_level="High")
    db.same(1, "Cheshire", "1.1", [G, G], risk_level="Low")
    db.same(2, "Cheshire", "1.1", [G], risk_level="High")
    assert streaks(db) == []  # 1/3 each quarter overall
    high = Filters(risk_levels=("High",))
    assert streaks(db, high) == [("Cheshire", "1.1", labels(0, 1), 2, False)]
    # up to quarter 1 the same streak is still open
    assert streaks(db, high.but(quarter_to=q(1).index)) == [
        ("Cheshire", "1.1", labels(0, 1), 2, True)
    ]
    assert streaks(db, Filters(forces=("Lancashire",), risk_levels=("High",))) == []


def test_adequate_is_not_a_failure(db):
    db.same(0, "Cheshire", "1.1", [A, RI])  # 1/2: fails
    db.same(1, "Cheshire", "1.1", [A, A, RI])  # 1/3: does not
    db.same(2, "Cheshire", "1.1", [A])  # 0/1
    fq = failing_quarters(db.cur(), ALL, Settings(five_grades=True))
    assert fq["fails"].tolist() == [True, False, False]


def test_thresholds_come_from_settings(db):
    for i in range(3):
        db.same(i, "Cheshire", "1.1", [RI] * 7 + [G] * 3)  # exactly 70% failing
    assert streaks(db, settings=Settings(fail_share=0.7))[0][3] == 3
    assert streaks(db, settings=Settings(fail_share=0.71)) == []
    assert streaks(db, settings=Settings(min_streak=3))[0][3] == 3
    assert streaks(db, settings=Settings(min_streak=4)) == []


def test_inactive_reviews_are_ignored(db):
    db.same(0, "Cheshire", "1.1", [RI])
    db.same(1, "Cheshire", "1.1", [RI], active=False)  # replaced by a corrected re-send
    db.same(1, "Cheshire", "1.1", [G])
    assert streaks(db) == []


def test_sorted_current_then_longest(db):
    for i in range(4):
        db.same(i, "Cheshire", "1.1", [RI])  # 4, current
    for i in range(2):
        db.same(i, "Lancashire", "1.1", [RI])  # 2, ended
    db.same(2, "Lancashire", "1.1", [G])
    for i in range(1, 4):
        db.same(i, "Cumbria", "1.2", [RI])  # 3, current
    got = [(f, s, c) for f, _, _, s, c in streaks(db)]
    assert got == [("Cheshire", 4, True), ("Cumbria", 3, True), ("Lancashire", 2, False)]


def test_empty_database_gives_empty_frames_with_columns(db):
    df = repeat_failures(db.cur(), ALL)
    assert df.empty and {"force", "question_id", "quarters", "streak", "current"} <= set(df)
    assert failing_quarters(db.cur(), ALL).empty


def test_the_open_count_agrees_with_the_current_streaks(db):
    from analysis.repeat_failures import open_repeat_failure_count

    for i, grades in enumerate([[RI], [I], [G], [RI], [RI]]):
        db.same(i, "Lancashire", "3.1", grades)  # ended streak, then a current one
    for i, grades in enumerate([[RI], [RI], [G]]):
        db.same(i, "Cheshire", "3.1", grades)  # ended
    db.same(0, "Cumbria", "3.1", [RI])
    db.same(3, "Cumbria", "3.1", [NA_])
    db.same(4, "Cumbria", "3.1", [I])  # current across a gap and an N/A-only quarter
    df = repeat_failures(db.cur(), ALL)
    assert int(df["current"].sum()) == open_repeat_failure_count(db.cur(), ALL) == 2
    upto = Filters(quarter_to=q(1).index)
    assert open_repeat_failure_count(db.cur(), upto) == 2  # Lancashire and Cheshire then
    assert open_repeat_failure_count(db.cur(), ALL, Settings(min_streak=3)) == 0
