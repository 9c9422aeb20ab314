"""The store: schema versions, explicit transactions, data version, question sets, settings."""

import duckdb
import pytest

from dashboard import questions, store
from dashboard.settings import Settings, load_settings, save_settings


def test_new_database_has_schema_default_questions_and_forces(tmp_path):
    con = store.connect(tmp_path / "a.duckdb")
    assert store.schema_version(con) == store.SCHEMA_VERSION
    qs = questions.load_questions(con)
    assert len(qs) >= 25 and qs[0].question_id == "1.1"
    sets = questions.question_sets(con)
    assert sets[0]["illustrative"] and "Illustrative" in sets[0]["name"]
    assert store.load_forces(con).names[0] == "Cheshire"
    assert not store.has_data(con)


def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path):
    path = tmp_path / "a.duckdb"
    con = store.connect(path)
    v = store.data_version(con)
    con.close()
    con = store.connect(path)
    assert store.data_version(con) == v
    assert len(questions.question_sets(con)) == 1


def test_a_database_from_a_newer_program_is_refused(tmp_path):
    path = tmp_path / "a.duckdb"
    con = store.connect(path)
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(RuntimeError, match="newer"):
        store.connect(path)


def test_transaction_rolls_back_everything_and_keeps_the_version(tmp_path):
    con = store.connect(tmp_path / "a.duckdb")
    before = store.data_version(con)
    with pytest.raises(duckdb.Error):
        with store.transaction(con) as cur:
            cur.execute("INSERT INTO settings VALUES ('x', '1')")
            cur.execute("INSERT INTO settings VALUES ('x', '2')")  # primary key clash
    assert con.execute("SELECT count(*) FROM settings").fetchone()[0] == 0
    assert store.data_version(con) == before
    with store.transaction(con) as cur:
        cur.execute("INSERT INTO settings VALUES ('x', '1')")
    assert store.data_version(con) == before + 1


def test_question_set_versions_keep_the_old_one(tmp_path):
    con = store.connect(tmp_path / "a.duckdb")
    csv = b"question_id,section,text\nA1,Actions,Are actions SMART?\nA2,Actions,Are they dated?\n"
    v = questions.import_question_set(con, csv, "force_set.csv", "tester")
    assert v == 2 and questions.active_version(con) == 2
    assert [q.question_id for q in questions.load_questions(con)] == ["A1", "A2"]
    assert len(questions.load_questions(con, 1)) >= 25  # the old version is still there
    log = con.execute("SELECT who, action FROM audit_log").fetchall()
    assert ("tester", "questions") in log


def test_question_set_from_xlsx(tmp_path):
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No.", "Section", "Question"])
    ws.append(["1", "Timeliness", "Was it on time?"])
    ws.append(["2", "Plan", "Is there a plan?"])
    buf = io.BytesIO()
    wb.save(buf)
    con = store.connect(tmp_path / "a.duckdb")
    questions.import_question_set(con, buf.getvalue(), "set.xlsx", "tester")
    qs = questions.load_questions(con)
    assert [(q.question_id, q.section_no, q.section) for q in qs] == [
        ("1", 1, "Timeliness"),
        ("2", 2, "Plan"),
    ]


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"id,text\n1,x\n", "a.csv", "missing: section"),
        (b"question_id,section,text\n1,S,x\n1,S,y\n", "a.csv", "appears twice"),
        (b"question_id,section,text\n", "a.csv", "no questions"),
        (b"not a zip", "a.xlsx", "not a readable .xlsx"),
        (b"x", "a.txt", ".csv or .xlsx"),
    ],
)
def test_bad_question_sets_are_refused_with_one_line(tmp_path, data, name, message):
    con = store.connect(tmp_path / "a.duckdb")
    with pytest.raises(questions.QuestionSetError, match=message) as exc:
        questions.import_question_set(con, data, name, "tester")
    assert "\n" not in str(exc.value)
    assert questions.active_version(con) == 1


def test_settings_default_then_saved(tmp_path):
    con = store.connect(tmp_path / "a.duckdb")
    s = load_settings(con)
    assert s == Settings() and s.fail_share == 0.5 and "Actions" in s.themes
    save_settings(con, {"five_grades": True, "min_streak": "3"}, "tester")
    s = load_settings(con)
    assert s.five_grades is True and s.min_streak == 3


def test_every_setting_has_help():
    for name, text in Settings.help().items():
        assert len(text) > 15, name
