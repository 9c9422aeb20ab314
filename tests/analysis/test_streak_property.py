"""Property test: the SQL streaks equal a plain Python reading of the contract's definitions
on random data (gaps, N/A, ungraded, ties, several forces and questions)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.filters import Filters
from analysis.repeat_failures import open_repeat_failure_count, repeat_failures
from analysis.training_needs import force_training_needs
from dashboard.settings import Settings
from dashboard.vocab import grade_score
from tests.analysis.builder import NA_, RI, UNGRADED, G, I, O, q

GRADES = [O, G, RI, I, NA_, UNGRADED]
FORCES = ["Cheshire", "Lancashire"]
QUESTIONS = ["1.1", "6.4"]

answers = st.lists(
    st.tuples(
        st.sampled_from(FORCES),
        st.sampled_from(QUESTIONS),
        st.integers(0, 7),
        st.sampled_from(GRADES),
    ),
    max_size=40,
)


def expected(rows, fail_share, min_streak):
    """[(force, qid, [quarter labels], current)] by the contract, in plain Python, and
    {(force, qid): failing quarters in a row at the end} for every pair with data."""
    cells = {}
    for force, qid, i, grade in rows:
        score = grade_score(grade)
        if score is None:
            continue  # N/A and ungraded: not in the denominator
        n, f = cells.get((force, qid, i), (0, 0))
        cells[(force, qid, i)] = (n + 1, f + (score <= 2))
    out, trailing = [], {}
    for force in FORCES:
        for qid in QUESTIONS:
            quarters = sorted(i for (fo, qq, i) in cells if (fo, qq) == (force, qid))
            runs, run = [], []
            for i in quarters:  # consecutive among the quarters with data
                n, f = cells[(force, qid, i)]
                if f >= fail_share * n - 1e-9:
                    run.append(i)
                else:
                    runs.append(run)
                    run = []
            runs.append(run)
            if quarters:
                trailing[(force, qid)] = len(run)
            for r in runs:
                if len(r) >= min_streak:
                    out.append((force, qid, [q(i).label for i in r], r[-1] == quarters[-1]))
    return sorted(out), trailing


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=answers, fail_share=st.sampled_from([0.5, 0.34, 1.0]), min_streak=st.integers(1, 3))
def test_sql_streaks_match_the_definition(db, rows, fail_share, min_streak):
    db.clear()
    for force, qid, i, grade in rows:
        db.review(i, force, {qid: grade})
    s = Settings(fail_share=fail_share, min_streak=min_streak)
    df = repeat_failures(db.cur(), Filters(), s)
    got = sorted(
        (r.force, r.question_id, list(r.quarters), bool(r.current)) for r in df.itertuples()
    )
    want, trailing = expected(rows, fail_share, min_streak)
    assert got == want
    assert open_repeat_failure_count(db.cur(), Filters(), s) == sum(c for *_, c in want)
    ftn = force_training_needs(db.cur(), Filters(), s)
    for r in ftn.itertuples():
        assert r.current_streak == trailing[(r.force, r.question_id)]
