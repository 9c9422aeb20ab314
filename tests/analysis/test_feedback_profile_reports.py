"""Feedback search and themes, good practice, force profile, and the CLI's reports."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.feedback import search_feedback, search_terms, theme_counts
from analysis.filters import Filters
from analysis.force_profile import force_vs_region, officer_summary
from analysis.good_practice import good_practice
from analysis.reports import repeat_failures_report, training_needs_report
from dashboard.settings import Settings
from tests.analysis.builder import NA_, RI, A, G, I, O, q

ROOT = Path(__file__).resolve().parents[2]
ALL = Filters()
THEMES = {
    "Actions": ["action", "smart", "dated"],
    "Supervision": ["sign-off", "supervisor"],
    "Timeliness": ["late"],
    "Odd": ["50%", "a_b", "(x)"],
}


@pytest.fixture
def texts(db):
    db.review(
        0,
        "Cheshire",
        {
            "6.4": (RI, "Actions are not dated and have no owner."),
            "1.2": (G, "Supervisor Sign-Off was recorded."),
            "1.1": (I, "Completed late; the plan was translated from notes."),
        },
    )
    db.review(
        1,
        "Cheshire",
        {
            "6.4": (O, "Excellent SMART actions, each dated."),
            "1.3": (NA_, "Not applicable: 50% of visits (x) a_b"),
            "1.4": (G, ""),
        },
    )
    db.review(1, "Lancashire", {"6.4": (RI, "Actions: dated, but not owned; late review")})
    return db


def found(df):
    return sorted(df.feedback.tolist())


def test_search_terms_keep_quoted_phrases_whole():
    assert search_terms('actions  "not dated" Owner') == ["actions", "not dated", "owner"]
    assert search_terms('"" "  " ') == []


def test_search_ands_words_and_phrases_case_insensitively(texts):
    cur = texts.cur()
    assert len(search_feedback(cur, ALL, "ACTIONS dated")) == 3
    assert found(search_feedback(cur, ALL, '"not dated"')) == [
        "Actions are not dated and have no owner."
    ]
    assert found(search_feedback(cur, ALL, "dated late")) == [
        "Actions: dated, but not owned; late review"
    ]
    assert search_feedback(cur, ALL, '"dated late"').empty  # a phrase is not two words


def test_search_escapes_like_wildcards(texts):
    cur = texts.cur()
    assert len(search_feedback(cur, ALL, "50%")) == 1
    assert search_feedback(cur, ALL, "5_%").empty  # '_' is a character, not a wildcard
    assert len(search_feedback(cur, ALL, "a_b")) == 1
    assert len(search_feedback(cur, ALL, "%")) == 1  # a literal %, in one answer
    assert search_feedback(cur, ALL, "'; DROP TABLE answers; --").empty
    assert len(search_feedback(cur, ALL)) == 6  # all answers with written feedback


def test_search_filters_by_grade_theme_and_filters(texts):
    cur = texts.cur()
    assert found(search_feedback(cur, ALL, grades=(NA_,))) == [
        "Not applicable: 50% of visits (x) a_b"
    ]
    sup = search_feedback(cur, ALL, themes=("Supervision",), theme_keywords=THEMES)
    assert found(sup) == ["Supervisor Sign-Off was recorded."]
    late = search_feedback(cur, ALL, themes=("Timeliness",), theme_keywords=THEMES)
    assert len(late) == 2  # "Completed late; ..." and "... late review"
    both = search_feedback(
        cur, ALL, "owner", themes=("Actions", "Timeliness"), theme_keywords=THEMES
    )
    assert found(both) == ["Actions are not dated and have no owner."]
    assert search_feedback(cur, ALL, themes=("Unknown",), theme_keywords=THEMES).empty
    lan = search_feedback(cur, Filters(forces=("Lancashire",)), "dated")
    assert lan.force.tolist() == ["Lancashire"] and lan.quarter.tolist() == [q(1).label]
    assert len(search_feedback(cur, ALL, limit=2)) == 2
    assert list(search_feedback(cur, ALL).columns[:10]) == [
        "quarter",
        "force",
        "reviewing_force",
        "risk_level",
        "officer",
        "question_id",
        "section",
        "question",
        "grade",
        "feedback",
    ]


def test_themes_match_keywords_at_word_starts(db):
    db.review(0, "Cheshire", {"1.1": (G, "Translated and collated"), "1.2": (RI, "Lateness")})
    counts = theme_counts(db.cur(), ALL, {"Timeliness": ["late"]})
    assert counts.answers.tolist() == [1]  # 'Lateness' yes; 'translated', 'collated' no


def test_theme_counts(texts):
    df = theme_counts(texts.cur(), ALL, THEMES)
    assert df.theme.tolist() == list(THEMES)
    got = {r.theme: (r.answers, r.n, r.failing) for r in df.itertuples()}
    assert got["Actions"] == (3, 3, 2)
    assert got["Supervision"] == (1, 1, 0)
    assert got["Timeliness"] == (2, 2, 2)
    assert got["Odd"] == (1, 0, 0)  # an N/A answer: no graded denominator
    assert df.set_index("theme").share_failing["Actions"] == pytest.approx(2 / 3)
    assert df.set_index("theme").share_failing.isna()["Odd"]
    defaults = theme_counts(texts.cur(), ALL)  # the settings' themes
    assert defaults.theme.tolist() == list(Settings().themes)
    assert theme_counts(texts.cur(), ALL, {}).empty


def test_good_practice_lists_outstanding_answers_by_question(db):
    db.review(0, "Cheshire", {"6.4": (O, "Model actions"), "1.1": (O, "On time"), "1.2": G})
    db.review(1, "Lancashire", {"6.4": (O, "Clear owners"), "1.1": (G, "Fine")})
    db.review(1, "Cumbria", {"6.4": (O, None)})
    df = good_practice(db.cur(), ALL)
    assert df[["question_id", "force"]].values.tolist() == [
        ["1.1", "Cheshire"],
        ["6.4", "Lancashire"],
        ["6.4", "Cheshire"],
        ["6.4", "Cumbria"],
    ]  # newest first, answers with feedback before those without
    both = good_practice(db.cur(), Filters(questions=("1.1",)), grades=(O, G))
    assert both.grade.tolist() == [O, G]


def test_force_vs_region(db):
    db.same(0, "Cheshire", "1.1", [G, RI])  # force avg 2.5, 1/2 failing
    db.same(0, "Lancashire", "1.1", [O, O])
    db.same(0, "Lancashire", "1.2", [G])  # the force has no answer to 1.2
    df = force_vs_region(db.cur(), Filters(forces=("Lancashire",)), "Cheshire")
    r = df.set_index("question_id")
    assert (r.loc["1.1"].force_avg, r.loc["1.1"].force_n, r.loc["1.1"].region_n) == (2.5, 2, 4)
    assert r.loc["1.1"].region_avg == pytest.approx(3.25)
    assert r.loc["1.1", "diff"] == pytest.approx(-0.75)
    assert r.loc["1.1"].force_share_failing == 0.5 and r.loc["1.1"].others_avg == 4.0
    assert r.loc["1.2"].force_n == 0 and r.loc["1.2"].force_avg != r.loc["1.2"].force_avg


def test_officer_summary(db):
    db.review(0, "Cheshire", {"6.4": RI, "1.1": G}, officer="DC Hart")
    db.review(1, "Cheshire", {"6.4": I, "1.1": O}, officer="DC Hart")
    db.review(1, "Cheshire", {"6.4": G, "1.1": A}, officer="DC Lee")
    db.review(1, "Lancashire", {"6.4": I}, officer="DC Hart")  # another force's DC Hart
    df = officer_summary(db.cur(), ALL, "Cheshire")
    assert df.officer.tolist() == ["DC Hart", "DC Lee"]
    hart = df.iloc[0]
    assert (hart.reviews, hart.n, hart.training_needs) == (2, 4, 1)
    assert hart.share_failing == 0.5 and hart.avg_score == pytest.approx(2.5)
    assert (hart.first_quarter, hart.last_quarter) == (q(0).label, q(1).label)
    assert df.iloc[1].training_needs == 0


def _streaky(db):
    for i in range(3):
        db.review(i, "Cheshire", {"6.4": (RI, "not dated")}, officer="DC Hart")
    db.same(0, "Lancashire", "1.1", [I])
    db.same(1, "Lancashire", "1.1", [I])
    db.same(2, "Lancashire", "1.1", [G])


def test_reports_are_plain_json_with_the_contract_keys(db):
    _streaky(db)
    rf = repeat_failures_report(db.cur(), Settings())
    assert [(r["force"], r["streak"], r["current"]) for r in rf] == [
        ("Cheshire", 3, True),
        ("Lancashire", 2, False),
    ]
    assert rf[0]["quarters"] == [q(0).label, q(1).label, q(2).label]
    tn = training_needs_report(db.cur(), Settings())
    assert tn == [
        {
            "force": "Cheshire",
            "officer": "DC Hart",
            "question_id": "6.4",
            "question": "Are the actions specific, owned and dated?",
            "section": "Risk management plan",
            "failures": 3,
            "reviews": 3,
            "quarters": [q(0).label, q(1).label, q(2).label],
        }
    ]
    json.dumps(rf), json.dumps(tn)  # plain types only


def test_report_commands_print_contract_json(db):
    _streaky(db)
    db.con.close()
    for kind, keys in (
        ("repeat-failures", {"force", "question_id", "quarters", "streak", "current"}),
        ("training-needs", {"force", "officer", "question_id", "failures", "reviews", "quarters"}),
    ):
        out = subprocess.run(
            [sys.executable, "-m", "dashboard", "--db", str(db.path), "report", kind, "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        rows = json.loads(out.stdout)
        assert rows and all(keys <= set(r) for r in rows)
        if kind == "repeat-failures":
            assert rows[0]["current"] is True and rows[0]["streak"] == 3
        else:
            assert rows[0]["officer"] == "DC Hart" and rows[0]["reviews"] == 3


ALPHABET = "abcXYZ019%_\\'.-;()[]*?+^$|{}"


def test_any_typed_text_is_found_literally(db):
    """Wildcards and regex characters in the search box are text, never patterns."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(st.text(alphabet=ALPHABET, min_size=1, max_size=12))
    def check(term):
        db.clear()
        db.review(0, "Cheshire", {"1.1": (G, f"before {term} after")})
        db.review(0, "Cheshire", {"1.1": (G, "nothing to see")})  # no character of ALPHABET
        hits = search_feedback(db.cur(), ALL, f'"{term}"')
        assert hits.feedback.tolist() == [f"before {term} after"]

    check()
