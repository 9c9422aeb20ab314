"""``python -m dashboard ingest``: JSON shape and exit codes; nothing written when refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.importer import workbooks as wbs

ROOT = Path(__file__).resolve().parents[2]


def run(*args, db):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def counts(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT (SELECT count(*) FROM imports), (SELECT count(*) FROM reviews)"
        ).fetchone()
    finally:
        con.close()


def test_ingest_json_shape_then_duplicate(tmp_path):
    f = tmp_path / "ARMS 2024-25 Q2.xlsx"
    f.write_bytes(wbs.canonical(n_forces=2)[0])
    db = tmp_path / "a.duckdb"
    p = run("ingest", str(f), "--json", db=db)
    assert p.returncode == 0, p.stderr
    (r,) = json.loads(p.stdout)
    assert set(r) >= {
        "file",
        "sha256",
        "status",
        "quarter",
        "reason",
        "sheets",
        "counts",
        "warnings",
        "errors",
    }
    assert (r["status"], r["quarter"], r["file"]) == ("imported", "2024/25 Q2", f.name)
    assert set(r["sheets"][0]) >= {"sheet", "force", "cases", "answers", "skipped", "warnings"}
    assert r["sheets"][0]["force"] == "Cheshire" and r["sheets"][0]["cases"] == 4
    c = r["counts"]
    assert c["reviews"] == 8 and sum(c["by_grade"].values()) + c["ungraded"] == c["answers"]
    assert set(c["by_grade"]) >= {
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "N/A",
    }
    p = run("ingest", str(f), "--json", db=db)
    assert p.returncode == 0 and json.loads(p.stdout)[0]["status"] == "duplicate"
    assert counts(db) == (1, 8)


def test_refused_file_exits_1_and_writes_nothing(tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(wbs.canonical(n_forces=1)[0])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(wbs.csv_renamed())
    db = tmp_path / "a.duckdb"
    p = run("ingest", str(bad), "--json", db=db)
    assert p.returncode == 1
    (r,) = json.loads(p.stdout)
    assert r["status"] == "rejected" and "CSV" in r["reason"]
    assert counts(db) == (0, 0)
    p = run("ingest", str(bad), db=db)  # plain text: one line saying why
    assert p.returncode == 1 and "refused" in p.stdout and "Traceback" not in p.stdout + p.stderr


def test_dry_run_writes_nothing_and_quarter_flag(tmp_path):
    f = tmp_path / "untitled.xlsx"
    no_dates = tuple(m for m in wbs.META_DEFAULT if m[1] != "arms_completed")
    f.write_bytes(wbs.canonical(n_forces=1, spec=wbs.Blocks(quarter_title=None, meta=no_dates))[0])
    db = tmp_path / "a.duckdb"
    p = run("ingest", str(f), "--json", db=db)
    assert p.returncode == 1 and "cannot tell which quarter" in json.loads(p.stdout)[0]["reason"]
    p = run("ingest", str(f), "--json", "--dry-run", "--quarter", "2023/24 Q4", db=db)
    assert p.returncode == 0
    r = json.loads(p.stdout)[0]
    assert (r["status"], r["quarter"]) == ("dry-run", "2023/24 Q4")
    assert counts(db) == (0, 0)
    p = run("ingest", str(f), "--quarter", "soon", db=db)
    assert p.returncode == 2


def test_a_batch_with_one_refused_file_writes_nothing(tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(wbs.canonical(n_forces=1)[0])
    bad = tmp_path / "bad.xls"
    bad.write_bytes(wbs.legacy_xls())
    db = tmp_path / "a.duckdb"
    p = run("ingest", str(good), str(bad), str(tmp_path / "missing.xlsx"), "--json", db=db)
    assert p.returncode == 1
    r = json.loads(p.stdout)
    assert [x["status"] for x in r] == ["dry-run", "rejected", "rejected"]
    assert "another file in this batch was refused" in r[0]["reason"]
    assert "no such file" in r[2]["reason"]
    assert counts(db) == (0, 0)
    p = run("ingest", str(good), db=db)
    assert p.returncode == 0 and "imported" in p.stdout and counts(db) == (1, 4)
