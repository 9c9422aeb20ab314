import pytest

from dashboard import store
from dashboard.exports.summary import (
    md_escape,
    quarter_summary,
    quarter_summary_html,
    quarter_summary_text,
)


def test_summary_of_the_late_quarter(demo_con):
    text = quarter_summary_text(demo_con)  # default: the latest quarter with data
    assert text.startswith("ARMS peer review - quarter summary - 2025/26 Q3")
    assert "DEMO DATA" in text
    assert "- Missing: Greater Manchester, Cumbria" in text
    assert "- Reviews: 16 (528 answers" in text
    assert "Good or better:" in text and "(n=" in text
    s = quarter_summary(demo_con, "2025/26 Q3")
    assert s["headline"]["reviews"] == 16 and len(s["returns"]) == 4


def test_summary_finds_the_lancashire_streak(demo_con):
    s = quarter_summary(demo_con, "2024/25 Q4")
    streaks = {(r["force"], r["question_id"]): r["streak"] for r in s["repeat_failures"]}
    for qid in ("6.1", "6.4", "6.6"):
        assert streaks.get(("Lancashire", qid)) == 5
    assert s["weakest"][0]["question_id"] == "2.6"
    assert all(r["n"] > 0 for r in s["weakest"] + s["strong"])


def test_free_text_is_escaped(demo_con):
    cur = demo_con.cursor()
    rid, qid = cur.execute(
        "SELECT review_id, question_id FROM answer_facts WHERE quarter = '2025/26 Q3' "
        "AND grade = 'Outstanding' AND force = 'Cheshire' LIMIT 1"
    ).fetchone()
    evil = "<script>alert(1)</script> **bold** [link](http://x)"
    cur.execute(
        "UPDATE answers SET feedback = ? WHERE review_id = ? AND question_id = ?", [evil, rid, qid]
    )
    cur.execute(
        "UPDATE answers SET grade = 'Good', grade_score = 3 WHERE grade = 'Outstanding' "
        "AND review_id IN (SELECT review_id FROM reviews WHERE quarter = '2025/26 Q3') "
        "AND NOT (review_id = ? AND question_id = ?)",
        [rid, qid],
    )
    store.refresh_facts(cur)
    page = quarter_summary_html(demo_con, "2025/26 Q3")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = quarter_summary_text(demo_con, "2025/26 Q3")
    assert "\\<script\\>" in text and "\\*\\*bold\\*\\*" in text and "\\[link\\]" in text


def test_md_escape_leaves_plain_words_alone():
    assert md_escape("Actions are not dated or owned; no review date set.") == (
        "Actions are not dated or owned; no review date set."
    )
    assert md_escape("a_b *c* $x$") == "a\\_b \\*c\\* \\$x\\$"


def test_no_data_is_refused(empty_con):
    with pytest.raises(ValueError, match="no data"):
        quarter_summary_text(empty_con)
