"""Messy inputs, as properties: grade words and question text noise."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.importer.matching import QuestionMatcher, leading_number, normalise
from dashboard.vocab import GRADES_FOUR, NA, parse_grade
from tests.importer.workbooks import QUESTIONS

MATCHER = QuestionMatcher(QUESTIONS)
SPELLINGS = {
    "Outstanding": ["Outstanding", "O", "o", "4", "OUTSTANDING", "outstanding "],
    "Good": ["Good", "G", "g", "3", "GOOD", "Good (green)", "good"],
    "Requires improvement": [
        "Requires improvement",
        "RI",
        "R/I",
        "r i",
        "Req. Imp.",
        "requires improvement",
        "2",
        "REQUIRES IMPROVEMENT",
    ],
    "Inadequate": ["Inadequate", "I", "1", "Inadequate ", "INADEQUATE", "inadequate"],
    NA: ["N/A", "n/a", "Not applicable", "NA", "not applicable"],
}


@given(
    st.sampled_from([(g, s) for g, ss in SPELLINGS.items() for s in ss]),
    st.sampled_from(["", " ", "  ", "\t"]),
    st.sampled_from(["", " ", ".", "  "]),
)
def test_grade_spellings_with_spacing_noise(pair, before, after):
    grade, spelling = pair
    assert parse_grade(before + spelling + after) == grade


@given(st.sampled_from([g.score for g in GRADES_FOUR]))
def test_numeric_scores_parse_to_their_grade(score):
    assert parse_grade(int(score)) == next(g.name for g in GRADES_FOUR if g.score == score)
    assert parse_grade(float(score)) == parse_grade(int(score))


@given(st.text(alphabet=string.ascii_letters + string.digits + " /.-", max_size=12))
def test_parse_grade_never_crashes_and_returns_a_known_word(text):
    assert parse_grade(text) in {None, NA, *(g.name for g in GRADES_FOUR)}


noise = st.fixed_dictionaries(
    {
        "number": st.sampled_from(["", "{id} ", "Q{id} ", "{id}) ", "{id}. ", "({n}) ", "{n}. "]),
        "case": st.sampled_from(["same", "upper", "lower", "title"]),
        "punct": st.sampled_from(["", "?", " ?", ".", "!", "??"]),
        "space": st.sampled_from([" ", "  "]),
    }
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(QUESTIONS), noise, st.integers(1, 99))
def test_numbering_case_punctuation_noise_matches_that_question_exactly(q, nz, renumber):
    text = q.text.rstrip("?")
    text = {"same": text, "upper": text.upper(), "lower": text.lower(), "title": text.title()}[
        nz["case"]
    ]
    text = text.replace(" ", nz["space"]) + nz["punct"]
    prefix = nz["number"].format(id=q.question_id, n=renumber)
    m = MATCHER.match(prefix + text)
    assert m is not None and m.question_id == q.question_id and m.confidence == 1.0


@settings(max_examples=100)
@given(st.sampled_from(QUESTIONS), st.floats(0.6, 0.95))
def test_truncated_text_matches_that_question(q, keep):
    cut = q.text[: max(20, int(len(q.text) * keep))]
    m = MATCHER.match(cut)
    assert m is not None and m.question_id == q.question_id and m.confidence >= 0.85


@settings(max_examples=100)
@given(st.sampled_from(QUESTIONS), st.data())
def test_one_word_changed_still_matches(q, data):
    words = q.text.rstrip("?").split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    i = data.draw(st.sampled_from([j for j in range(len(words)) if j != longest] or [longest]))
    words[i] = "xyzzy"
    m = MATCHER.match(" ".join(words) + "?")
    assert m is not None and m.question_id == q.question_id and 0.6 <= m.confidence < 1


def test_the_number_breaks_a_tie_but_does_not_override_text():
    # Two questions that differ by one word: the text decides, whatever the number says
    q31 = next(q for q in QUESTIONS if q.question_id == "3.1")
    assert MATCHER.match(q31.text, "3.4").question_id == "3.1"
    assert MATCHER.match("Is it assessed and evidenced?", "3.4").question_id == "3.4"


def test_unrelated_text_matches_nothing():
    for t in (
        "Overall comments",
        "Total",
        "Section 2 - Information gathering",
        "",
        "Signed off by DI",
    ):
        m = MATCHER.match(t)
        assert m is None or m.confidence < 0.6


def test_normalise_and_numbers():
    assert normalise("Q1.1) Was the ARMS completed?") == "was the arms completed"
    assert (
        normalise("2.3 - Have previous convictions been considered")
        == "have previous convictions been considered"
    )
    assert leading_number("Q6-4 Are actions dated") == "6.4"
