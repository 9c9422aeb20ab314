"""The demo tells the stories the product promises, found with plain SQL on answer_facts,
after its workbooks went through the real importer."""

from __future__ import annotations

import io
import random
import re

import duckdb
import openpyxl
import pytest

from dashboard import demo, store
from dashboard.questions import ILLUSTRATIVE_FILE, parse_question_file
from dashboard.vocab import Quarter, default_forces
from tests.demo_db import built_demo, demo_copy

QUARTERS = [Quarter.from_index(Quarter(2023, 2).index + i).label for i in range(10)]
FAILS = "grade_score <= 2"  # Requires improvement or Inadequate


@pytest.fixture(scope="module")
def cur():
    path, _ = built_demo()
    con = duckdb.connect(str(path), read_only=True)
    yield con.cursor()
    con.close()


def failing_quarters(cur, force: str, qid: str) -> list[str]:
    """Quarters in which the force fails the question (at least half of graded answers fail)."""
    return [
        q
        for (q,) in cur.execute(
            f"""SELECT quarter FROM answer_facts WHERE force = ? AND question_id = ?
            GROUP BY quarter, quarter_idx
            HAVING count(grade_score) > 0 AND count(*) FILTER (WHERE {FAILS}) >= 0.5 * count(grade_score)
            ORDER BY quarter_idx""",
            [force, qid],
        ).fetchall()
    ]


def test_every_workbook_imports_through_the_real_importer():
    _, reports = built_demo()
    assert [r["status"] for r in reports] == ["imported"] * 10
    assert [r["quarter"] for r in reports] == QUARTERS
    variations = {r["variation"] for r in reports}
    assert {
        "colour-only grades",
        "abbreviations and alias sheet names",
        "pale Excel-style fills",
        "transposed: one row per case",
        "metadata in another order, other labels",
        "with Summary and Key sheets",
    } <= variations
    for r in reports:
        assert r["counts"]["unmatched_rows"] == 0
        # 33 questions for each case; the late quarter has four forces, the rest six
        assert r["counts"]["answers"] == r["counts"]["reviews"] * 33


def test_every_quarter_every_force_four_risk_levels_except_the_late_one(cur):
    rows = cur.execute(
        "SELECT quarter, force, list(DISTINCT risk_level ORDER BY risk_level) FROM answer_facts "
        "GROUP BY ALL ORDER BY quarter, force"
    ).fetchall()
    by_q: dict[str, set[str]] = {}
    for q, f, levels in rows:
        by_q.setdefault(q, set()).add(f)
        assert sorted(levels) == sorted(["Low", "Medium", "High", "Very high"])
    assert list(by_q) == QUARTERS
    everyone = set(default_forces().names)
    for q in QUARTERS[:-1]:
        assert by_q[q] == everyone
    assert everyone - by_q[QUARTERS[-1]] == {"Greater Manchester", "Cumbria"}


def test_rota_no_force_reviews_itself_and_it_rotates(cur):
    assert (
        cur.execute("SELECT count(*) FROM reviews WHERE force = reviewing_force").fetchone()[0] == 0
    )
    assert (
        cur.execute("SELECT count(*) FROM reviews WHERE reviewing_force IS NULL").fetchone()[0] == 0
    )
    pairs = cur.execute("SELECT DISTINCT force, reviewing_force FROM reviews").fetchall()
    assert len(pairs) == 6 * 5  # over ten quarters every force is reviewed by every other one


def test_lancashire_fails_action_questions_then_improves_after_cpd(cur):
    streak = QUARTERS[2:7]  # 2023/24 Q4 .. 2024/25 Q4
    for qid in ("6.1", "6.4", "6.6"):
        assert failing_quarters(cur, "Lancashire", qid) == streak
    before, after = cur.execute(
        f"""SELECT avg(CASE WHEN {FAILS} THEN 1 ELSE 0 END) FILTER (WHERE quarter_idx < ?),
                   avg(CASE WHEN {FAILS} THEN 1 ELSE 0 END) FILTER (WHERE quarter_idx >= ?)
            FROM answer_facts WHERE force = 'Lancashire' AND question_id IN ('6.1','6.4','6.6')
              AND grade_score IS NOT NULL""",
        [Quarter(2025, 1).index, Quarter(2025, 1).index],
    ).fetchone()
    assert before > 0.5 and after < 0.15
    cpd = cur.execute(
        "SELECT delivered_on, topic FROM interventions WHERE force = 'Lancashire' AND officer IS NULL"
    ).fetchall()
    assert len(cpd) == 1 and Quarter.containing(cpd[0][0]) == Quarter(2025, 1)
    assert "CPD" in cpd[0][1]


def test_merseyside_officer_fails_the_same_risk_factor_questions(cur):
    rows = cur.execute(
        f"""SELECT officer, question_id, count(DISTINCT review_id) FILTER (WHERE {FAILS}) AS failed
            FROM answer_facts WHERE force = 'Merseyside' AND section_no = 3
            GROUP BY ALL ORDER BY failed DESC"""
    ).fetchall()
    rowe = {q: n for o, q, n in rows if o == demo.OFFICER}
    for qid in ("3.1", "3.2", "3.5"):
        assert rowe[qid] >= 4
    others = max(n for o, q, n in rows if o != demo.OFFICER)
    assert min(rowe[q] for q in ("3.1", "3.2", "3.5")) > others
    reviews = cur.execute(
        "SELECT count(DISTINCT review_id) FROM reviews WHERE officer = ?", [demo.OFFICER]
    ).fetchone()[0]
    assert reviews == len(demo.OFFICER_REVIEWS)
    plan = cur.execute(
        "SELECT delivered_on FROM interventions WHERE officer = ?", [demo.OFFICER]
    ).fetchall()
    assert len(plan) == 1


def test_question_2_6_is_weak_across_the_region(cur):
    shares = cur.execute(
        f"""SELECT question_id, avg(CASE WHEN {FAILS} THEN 1.0 ELSE 0 END) AS share
            FROM answer_facts WHERE grade_score IS NOT NULL GROUP BY ALL ORDER BY share DESC"""
    ).fetchall()
    assert shares[0][0] == "2.6" and shares[0][1] > 0.4
    assert shares[0][1] > 1.5 * shares[1][1]
    per_force = cur.execute(
        f"""SELECT force, avg(CASE WHEN {FAILS} THEN 1.0 ELSE 0 END) FROM answer_facts
            WHERE question_id = '2.6' AND grade_score IS NOT NULL GROUP BY ALL"""
    ).fetchall()
    assert len(per_force) == 6 and all(s > 0.3 for _, s in per_force)


@pytest.mark.parametrize("force, section", [("Cheshire", 4), ("North Wales", 7)])
def test_pockets_of_outstanding_practice(cur, force, section):
    rows = cur.execute(
        """SELECT force, avg(CASE WHEN grade = 'Outstanding' THEN 1.0 ELSE 0 END) AS share
           FROM answer_facts WHERE section_no = ? AND grade_score IS NOT NULL
           GROUP BY ALL ORDER BY share DESC""",
        [section],
    ).fetchall()
    assert rows[0][0] == force and rows[0][1] > 2 * rows[1][1]


def test_no_raw_case_reference_reaches_the_database(cur):
    ids = [c for (c,) in cur.execute("SELECT DISTINCT case_id FROM reviews").fetchall()]
    assert all(re.fullmatch(r"C-[A-Z2-7]{10}", c) for c in ids)
    pnc = re.compile(r"\b\d{2}/\d{7}[A-Z]\b")
    feedback = [
        f
        for (f,) in cur.execute(
            "SELECT feedback FROM answers WHERE feedback IS NOT NULL"
        ).fetchall()
    ]
    assert not [f for f in feedback if pnc.search(f) or "/SOMU/" in f]
    # the planted identifiers were found and redacted, not simply absent
    assert cur.execute("SELECT sum(redactions) FROM answers").fetchone()[0] >= 10


def test_demo_is_labelled_as_demo(cur):
    assert cur.execute("SELECT bool_and(is_demo), count(*) FROM imports").fetchone() == (True, 10)


def test_generation_is_deterministic_and_seeded():
    questions = parse_question_file(ILLUSTRATIVE_FILE.read_bytes(), ILLUSTRATIVE_FILE.name)
    forces = default_forces()

    def quarter(seed):
        return demo.generate_quarter(random.Random(seed), 3, Quarter(2024, 1), questions, forces)

    assert quarter(7) == quarter(7)
    assert quarter(7) != quarter(8)


def test_feedback_reads_like_a_reviewer(cur):
    texts = [
        t
        for (t,) in cur.execute(
            "SELECT DISTINCT feedback FROM answers WHERE feedback IS NOT NULL"
        ).fetchall()
    ]
    assert len(texts) > 300  # varied, not a handful of stock phrases
    assert not [t for t in texts if "{" in t or "}" in t]  # every template filled in
    six_four = {
        t
        for (t,) in cur.execute(
            "SELECT feedback FROM answer_facts WHERE question_id = '6.4' AND force = 'Lancashire' "
            "AND grade_score <= 2"
        ).fetchall()
    }
    assert any("owned" in t or "dated" in t or "date" in t for t in six_four)


def test_script_writes_the_workbooks(tmp_path, capsys):
    assert demo.main(["--out", str(tmp_path / "wb")]) == 0
    files = sorted((tmp_path / "wb").glob("*.xlsx"))
    assert len(files) == 10
    assert capsys.readouterr().out.count(".xlsx") == 10
    alias = openpyxl.load_workbook(
        io.BytesIO((tmp_path / "wb" / demo.demo_file_name(Quarter(2023, 4))).read_bytes())
    )
    assert {"GMP", "Lancs", "N Wales"} <= set(alias.sheetnames)


def test_rebuild_replaces_whatever_was_there(tmp_path):
    path = demo_copy(tmp_path)
    con = store.connect(path)
    con.cursor().execute("UPDATE reviews SET officer = 'someone else'")
    con.close()
    reports = demo.rebuild_demo(path)
    assert [r["status"] for r in reports] == ["imported"] * 10
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 10
    assert (
        con.execute("SELECT count(*) FROM reviews WHERE officer = 'someone else'").fetchone()[0]
        == 0
    )
    assert con.execute("SELECT count(*) FROM interventions").fetchone()[0] == 2
    con.close()


def test_interventions_are_logged_once(tmp_path):
    con = store.connect(demo_copy(tmp_path))
    assert demo._add_interventions(con) == 0  # already there from the load
    assert con.execute("SELECT count(*) FROM interventions").fetchone()[0] == 2
    con.close()
