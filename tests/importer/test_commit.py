"""Import guarantees: all or nothing, duplicates, re-sends replace, undo, history, audit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from dashboard import store
from dashboard.importer import (
    commit_plan,
    import_history,
    ingest_bytes,
    plan_effects,
    read_workbook,
    undo_import,
)
from tests.importer import workbooks as wbs

ROOT = Path(__file__).resolve().parents[2]


def active_reviews(con, force=None):
    sql = "SELECT count(*) FROM reviews WHERE active" + (" AND force = ?" if force else "")
    return con.execute(sql, [force] if force else []).fetchone()[0]


def test_import_writes_reviews_answers_history_and_audit(con):
    data, cases = wbs.canonical(n_forces=2)
    v0 = store.data_version(con)
    out = ingest_bytes(con, data, "q2.xlsx", who="coordinator")
    assert out["status"] == "imported" and out["import_id"] == 1 and out["replaced"] == []
    assert out["counts"]["reviews"] == 8 and out["counts"]["answers"] == 8 * len(wbs.QUESTIONS)
    assert store.data_version(con) == v0 + 1
    n = con.execute("SELECT count(*) FROM answer_facts WHERE quarter = '2024/25 Q2'").fetchone()[0]
    assert n == 8 * len(wbs.QUESTIONS)
    row = con.execute(
        "SELECT imported_by, status, quarter, reviews, answers, sha256 FROM imports"
    ).fetchone()
    assert row[:5] == ("coordinator", "imported", "2024/25 Q2", 8, 8 * len(wbs.QUESTIONS))
    assert row[5] == out["sha256"]
    assert con.execute("SELECT action FROM audit_log").fetchall() == [("import",)]
    # question set version: the active one at import time
    assert con.execute("SELECT DISTINCT question_set_version FROM reviews").fetchall() == [(1,)]
    # grade scores and sources stored as the contract says
    g = dict(con.execute("SELECT grade, max(grade_score) FROM answers GROUP BY grade").fetchall())
    assert g["Outstanding"] == 4 and g["Inadequate"] == 1 and g["N/A"] is None
    # no raw reference anywhere in the database
    refs = [c.case_ref for cs in cases.values() for c in cs]
    dump = str(con.execute("SELECT * FROM reviews").fetchall()) + str(
        con.execute("SELECT report_json FROM imports").fetchall()
    )
    assert not any(ref in dump for ref in refs)


def test_the_same_file_twice_is_a_duplicate_and_writes_nothing(con):
    data, _ = wbs.canonical(n_forces=1)
    first = ingest_bytes(con, data, "q2.xlsx", who="a")
    v = store.data_version(con)
    again = ingest_bytes(con, data, "renamed.xlsx", who="b")
    assert again["status"] == "duplicate" and again["import_id"] == first["import_id"]
    assert again["duplicate_of"]["file_name"] == "q2.xlsx"
    assert store.data_version(con) == v
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
    dry = ingest_bytes(con, data, "x.xlsx", dry_run=True)
    assert dry["status"] == "dry-run" and dry["duplicate_of"]["import_id"] == first["import_id"]


def test_a_resend_replaces_that_quarter_and_force_and_says_so(con):
    cases = {f: wbs.make_cases(f) for f in ("Cheshire", "Lancashire")}
    first = ingest_bytes(con, wbs.build_blocks(cases), "q2.xlsx", who="a")
    corrected = {"Cheshire": wbs.make_cases("Cheshire", 3, seed=2)}
    plan = read_workbook(wbs.build_blocks(corrected), "q2 cheshire v2.xlsx", con)
    effects = plan_effects(con, plan)
    assert effects["duplicate_of"] is None
    assert effects["replaces"] == [
        {
            "quarter": "2024/25 Q2",
            "force": "Cheshire",
            "import_id": first["import_id"],
            "file_name": "q2.xlsx",
            "reviews": 4,
        }
    ]
    out = commit_plan(con, plan, "b")
    assert out["status"] == "imported" and out["replaced"] == effects["replaces"]
    assert active_reviews(con, "Cheshire") == 3 and active_reviews(con, "Lancashire") == 4
    old = con.execute(
        "SELECT DISTINCT active, replaced_by FROM reviews WHERE import_id = ? AND force = 'Cheshire'",
        [first["import_id"]],
    ).fetchall()
    assert old == [(False, out["import_id"])]
    hist = import_history(con)
    assert list(hist["import_id"]) == [2, 1] and list(hist["status"]) == ["imported", "imported"]
    assert ("replace",) in con.execute("SELECT action FROM audit_log").fetchall()
    # another quarter for the same force is not a re-send
    other = ingest_bytes(
        con, wbs.build_blocks(corrected, wbs.Blocks(quarter_title="2024/25 Q3")), "q3.xlsx"
    )
    assert other["replaced"] == [] and active_reviews(con, "Cheshire") == 6


def test_undo_removes_the_import_and_restores_what_it_replaced(con):
    cases = {"Cheshire": wbs.make_cases("Cheshire")}
    first = ingest_bytes(con, wbs.build_blocks(cases), "v1.xlsx", who="a")
    second = ingest_bytes(
        con, wbs.build_blocks({"Cheshire": wbs.make_cases("Cheshire", 2, seed=9)}), "v2.xlsx"
    )
    assert active_reviews(con) == 2
    v = store.data_version(con)
    out = undo_import(con, second["import_id"], who="a")
    assert out["status"] == "undone" and out["reviews_removed"] == 2
    assert out["restored"] == [
        {
            "quarter": "2024/25 Q2",
            "force": "Cheshire",
            "import_id": first["import_id"],
            "reviews": 4,
        }
    ]
    assert store.data_version(con) == v + 1
    assert active_reviews(con) == 4
    assert (
        con.execute(
            "SELECT count(*) FROM reviews WHERE import_id = ?", [second["import_id"]]
        ).fetchone()[0]
        == 0
    )
    assert (
        con.execute(
            "SELECT count(*) FROM answers a LEFT JOIN reviews r USING (review_id) "
            "WHERE r.review_id IS NULL"
        ).fetchone()[0]
        == 0
    )
    hist = import_history(con).set_index("import_id")
    assert hist.loc[second["import_id"], "status"] == "undone"  # the history row stays
    assert [
        a
        for (a,) in con.execute(
            "SELECT action FROM audit_log ORDER BY logged_at, action"
        ).fetchall()
    ].count("undo") == 1
    assert undo_import(con, second["import_id"], who="a")["status"] == "rejected"
    assert undo_import(con, 99, who="a")["status"] == "rejected"
    # the undone file can be imported again (it is no longer a duplicate)
    again = ingest_bytes(
        con, wbs.build_blocks({"Cheshire": wbs.make_cases("Cheshire", 2, seed=9)}), "v2.xlsx"
    )
    assert again["status"] == "imported" and again["replaced"][0]["import_id"] == first["import_id"]


def test_unmatched_rows_are_stored_with_their_review(con):
    target = wbs.QUESTIONS[3]
    cases = {"Cheshire": wbs.make_cases("Cheshire", 2)}
    data = wbs.build_blocks(
        cases, wbs.Blocks(question_text=lambda q: "Anything else?" if q is target else q.text)
    )
    out = ingest_bytes(con, data, "q.xlsx")
    rows = con.execute(
        "SELECT u.sheet, u.cell, u.text, r.risk_level FROM unmatched_rows u "
        "JOIN reviews r USING (review_id) ORDER BY u.cell"
    ).fetchall()
    assert rows == [
        ("Cheshire", "C13", "Anything else?", "Low"),
        ("Cheshire", "E13", "Anything else?", "Medium"),
    ]
    assert out["counts"]["unmatched_rows"] == 2
    undo_import(con, out["import_id"], "t")
    assert con.execute("SELECT count(*) FROM unmatched_rows").fetchone()[0] == 0


def test_a_failure_inside_the_transaction_leaves_nothing(con, monkeypatch):
    data, _ = wbs.canonical(n_forces=1)
    plan = read_workbook(data, "q.xlsx", con)
    plan.reviews[1].answers[0].question_id = None  # NOT NULL violation half way through
    v = store.data_version(con)
    try:
        commit_plan(con, plan, "t")
    except duckdb.Error:
        pass
    else:
        raise AssertionError("expected the insert to fail")
    for table in ("imports", "reviews", "answers", "audit_log"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert store.data_version(con) == v


KILL_SCRIPT = """
import sys
from pathlib import Path
from dashboard import store
from dashboard.importer import ingest_bytes
con = store.connect(sys.argv[1])
ingest_bytes(con, Path(sys.argv[2]).read_bytes(), "q.xlsx", who="killed")
"""


def test_a_process_killed_inside_the_import_leaves_nothing_partial(tmp_path):
    db = tmp_path / "arms.duckdb"
    store.connect(db).close()
    wb = tmp_path / "q.xlsx"
    wb.write_bytes(wbs.canonical(n_forces=2)[0])
    env = dict(os.environ, ARMS_TEST_PAUSE_IN_IMPORT="30", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(db), str(wb)],
        env=env,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 60
        line = ""
        while time.time() < deadline:
            line = proc.stderr.readline()
            if "paused inside import" in line or not line:
                break
        assert "paused inside import" in line, line
        proc.send_signal(signal.SIGKILL)  # reviews are inserted, answers not yet
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    con = store.connect(db)  # the database opens
    for table in ("imports", "reviews", "answers", "audit_log"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    # and the same file imports cleanly afterwards
    out = ingest_bytes(con, wb.read_bytes(), "q.xlsx")
    assert (
        out["status"] == "imported"
        and con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 8
    )


def test_undoing_a_middle_resend_does_not_bring_back_data_a_later_one_replaced(con):
    a = ingest_bytes(
        con, wbs.build_blocks({"Cheshire": wbs.make_cases("Cheshire", 4, seed=1)}), "a.xlsx"
    )
    b = ingest_bytes(
        con, wbs.build_blocks({"Cheshire": wbs.make_cases("Cheshire", 3, seed=2)}), "b.xlsx"
    )
    c = ingest_bytes(
        con, wbs.build_blocks({"Cheshire": wbs.make_cases("Cheshire", 2, seed=3)}), "c.xlsx"
    )
    assert c["replaced"][0]["import_id"] == b["import_id"]
    out = undo_import(con, b["import_id"], "t")
    assert out["restored"] == []  # c still holds Cheshire 2024/25 Q2
    assert con.execute("SELECT DISTINCT import_id FROM reviews WHERE active").fetchall() == [
        (c["import_id"],)
    ]
    out = undo_import(con, c["import_id"], "t")
    assert [r["import_id"] for r in out["restored"]] == [a["import_id"]]
    assert active_reviews(con) == 4


def test_sessions_importing_at_once_all_succeed_and_the_same_file_only_once(con):
    import threading

    files = [
        (wbs.build_blocks({f: wbs.make_cases(f, 2, seed=i)}), f"{f}.xlsx")
        for i, f in enumerate(["Cheshire", "Cumbria", "Lancashire", "Merseyside"])
    ]
    files.append(files[0])  # the same file from a second session
    plans = [read_workbook(d, n, con) for d, n in files]
    results: list = [None] * len(plans)

    def run(i):
        results[i] = commit_plan(con, plans[i], f"user{i}")["status"]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(plans))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["duplicate"] + ["imported"] * 4
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 4
    assert active_reviews(con) == 8
