"""``answer_facts`` (schema version 2 on): a table kept in step with reviews and answers by
every write, and a version 1 database (where it was a view) migrates to it with the same
answers. Version 3 adds ``feedback_words``, the feedback's form for theme matching."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analysis import overview, repeat_failures, training_needs
from analysis.filters import Filters
from dashboard import questions, store
from dashboard.importer import ingest_bytes, undo_import
from dashboard.settings import Settings
from dashboard.vocab import GOOD, INADEQUATE, NA, OUTSTANDING, Quarter, default_forces
from tests.importer import workbooks as wbs

ORDER = "ORDER BY review_id, question_id"


def facts(con) -> pd.DataFrame:
    return con.cursor().execute(f"SELECT * FROM answer_facts {ORDER}").df()


def definition(con) -> pd.DataFrame:
    """What the facts must be: the version 1 view's query over the tables as they are now."""
    return con.cursor().execute(f"SELECT * FROM ({store.FACTS_SELECT}) {ORDER}").df()


def assert_in_step(con) -> None:
    got, want = facts(con), definition(con)
    assert len(got) == len(want)
    pd.testing.assert_frame_equal(got, want)


def test_answer_facts_is_a_table_with_the_view_columns(tmp_path):
    con = store.connect(tmp_path / "a.duckdb")
    assert store.schema_version(con) == store.SCHEMA_VERSION >= 3
    kind = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'answer_facts'"
    ).fetchone()[0]
    assert kind == "BASE TABLE"
    cols = [d[0] for d in con.execute("SELECT * FROM answer_facts LIMIT 0").description]
    assert cols[:3] == ["review_id", "import_id", "quarter"]
    assert {"force", "question_id", "section", "question", "grade_score", "feedback"} <= set(cols)
    assert cols[-1] == "feedback_words"


def test_feedback_words_is_the_form_theme_keywords_match(tmp_path):
    import re

    con = store.connect(tmp_path / "a.duckdb")
    ingest_bytes(con, wbs.canonical(n_forces=1)[0], "q2.xlsx", who="a")
    rows = con.execute(
        "SELECT feedback, feedback_words FROM answer_facts WHERE feedback IS NOT NULL"
    ).fetchall()
    assert rows
    for feedback, words in rows:
        assert words == " " + re.sub(r"[^a-z0-9]+", " ", feedback.lower())


def test_import_resend_undo_and_a_new_question_set_keep_the_facts_in_step(tmp_path):
    con = store.connect(tmp_path / "a.duckdb")
    cases = {f: wbs.make_cases(f) for f in ("Cheshire", "Lancashire")}
    first = ingest_bytes(con, wbs.build_blocks(cases), "q2.xlsx", who="a")
    assert first["status"] == "imported"
    assert_in_step(con)
    n_first = len(facts(con))
    assert n_first == 8 * len(wbs.QUESTIONS)

    # a corrected re-send for Cheshire replaces Cheshire's facts, Lancashire's stay
    resend = {"Cheshire": wbs.make_cases("Cheshire", 3, seed=2)}
    second = ingest_bytes(con, wbs.build_blocks(resend), "q2 cheshire v2.xlsx", who="a")
    assert second["status"] == "imported" and second["replaced"]
    assert_in_step(con)
    by_import = dict(
        con.execute(
            "SELECT import_id, count(DISTINCT review_id) FROM answer_facts GROUP BY 1"
        ).fetchall()
    )
    assert by_import == {first["import_id"]: 4, second["import_id"]: 3}

    # a new question set: the old reviews keep the wording they were graded against
    before = facts(con)
    csv = b"question_id,section,text\n1.1,Renamed,A different wording\n"
    questions.import_question_set(con, csv, "v2.csv", "tester")
    pd.testing.assert_frame_equal(facts(con), before)
    assert_in_step(con)

    # undo the re-send: the first import's Cheshire facts come back
    assert undo_import(con, second["import_id"], "a")["status"] == "undone"
    assert_in_step(con)
    assert len(facts(con)) == n_first
    assert undo_import(con, first["import_id"], "a")["status"] == "undone"
    assert_in_step(con)
    assert len(facts(con)) == 0


def test_a_duplicate_or_a_failed_import_leaves_the_facts_alone(tmp_path):
    con = store.connect(tmp_path / "a.duckdb")
    data, _ = wbs.canonical(n_forces=1)
    ingest_bytes(con, data, "q2.xlsx", who="a")
    before = facts(con)
    assert ingest_bytes(con, data, "again.xlsx", who="a")["status"] == "duplicate"
    pd.testing.assert_frame_equal(facts(con), before)
    assert_in_step(con)


# ------------------------------------------------------------------- migration 1 -> 2


def _v1_database(path) -> None:
    """A database as the version 1 program left it: the schema, the question set, data."""
    con = duckdb.connect(str(path))
    con.execute(store._SCHEMA_V1)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1'), ('data_version', '5')")
    for r in default_forces().to_rows():
        con.execute(
            "INSERT INTO forces VALUES (?, ?, ?)", [r["force"], r["full_name"], r["aliases"]]
        )
    qs = questions.parse_question_file(
        questions.ILLUSTRATIVE_FILE.read_bytes(), questions.ILLUSTRATIVE_FILE.name
    )
    con.execute(
        "INSERT INTO question_sets VALUES (1, 'set', 'file', TRUE, TRUE, ?, 'system')",
        [dt.datetime(2024, 1, 1)],
    )
    con.executemany(
        "INSERT INTO questions VALUES (1, ?, ?, ?, ?, ?)",
        [[q.question_id, q.section_no, q.section, q.ordinal, q.text] for q in qs],
    )
    con.execute(
        "INSERT INTO imports (import_id, file_name, sha256, imported_by, imported_at, status)"
        " VALUES (1, 'a.xlsx', 'a', 't', ?, 'imported'), (2, 'b.xlsx', 'b', 't', ?, 'imported')",
        [dt.datetime(2024, 1, 1), dt.datetime(2024, 2, 1)],
    )
    rid = 0
    for qi in range(6):
        quarter = Quarter.from_index(Quarter(2023, 2).index + qi)
        for force in ("Cheshire", "Cumbria"):
            for import_id, active in ((1, qi != 5), (2, qi == 5)):  # import 2 re-sent the last
                rid += 1
                con.execute(
                    "INSERT INTO reviews (review_id, import_id, active, quarter, quarter_idx,"
                    " quarter_start, force, reviewing_force, risk_level, case_id, officer,"
                    " question_set_version) VALUES (?, ?, ?, ?, ?, ?, ?, 'Merseyside', 'High',"
                    " ?, 'PC One', 1)",
                    [
                        rid,
                        import_id,
                        active,
                        quarter.label,
                        quarter.index,
                        quarter.start,
                        force,
                        f"case-{rid}",
                    ],
                )
                for q in qs[:6]:
                    fail = force == "Cumbria" and q.question_id == "1.1" and qi >= 2
                    grade = INADEQUATE if fail else (OUTSTANDING if qi % 2 else GOOD)
                    con.execute(
                        "INSERT INTO answers (review_id, question_id, grade, grade_score,"
                        " grade_source, feedback) VALUES (?, ?, ?, ?, 'text', ?)",
                        [rid, q.question_id, grade.name, grade.score, f"fb {rid} {q.question_id}"],
                    )
                con.execute(
                    "INSERT INTO answers (review_id, question_id, grade, grade_score)"
                    " VALUES (?, '7.1', ?, NULL)",
                    [rid, NA],
                )
    con.close()


def _answers(con) -> dict:
    cur, s, f = con.cursor(), Settings(), Filters()
    return {
        "rows": cur.execute(f"SELECT * FROM answer_facts {ORDER}").df(),
        "headline": overview.headline(cur, f, s),
        "repeat": repeat_failures.repeat_failures(cur, f, s),
        "officers": training_needs.officer_training_needs(cur, f, s),
    }


def test_a_version_1_database_migrates_and_gives_the_same_answers(tmp_path):
    path = tmp_path / "v1.duckdb"
    _v1_database(path)
    old = duckdb.connect(str(path))
    assert (
        old.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = 'answer_facts'"
        ).fetchone()[0]
        == "VIEW"
    )
    want = _answers(old)
    old.close()
    assert len(want["rows"]) == 12 * 7 and len(want["repeat"]) == 1

    con = store.connect(path)
    assert store.schema_version(con) == store.SCHEMA_VERSION
    assert store.data_version(con) == 5
    got = _answers(con)
    pd.testing.assert_frame_equal(got["rows"][list(want["rows"].columns)], want["rows"])
    assert got["headline"] == want["headline"]
    pd.testing.assert_frame_equal(got["repeat"], want["repeat"])
    pd.testing.assert_frame_equal(got["officers"], want["officers"])
    assert_in_step(con)
    con.close()
    # opening it again does not migrate again
    con = store.connect(path)
    assert store.schema_version(con) == store.SCHEMA_VERSION and len(facts(con)) == 12 * 7
