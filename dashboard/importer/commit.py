"""ImportPlan -> the database, in one transaction; duplicates, re-sends, undo and history.

- The same file (SHA-256) already imported is a *duplicate*: nothing is written.
- A re-send for a quarter and force deactivates the earlier active reviews of that quarter
  and force (``active = FALSE, replaced_by = the new import``) and says so.
- Undo deletes an import's reviews, answers and unmatched rows, re-activates what it
  replaced, and marks the import ``undone``; the history row stays.
- Each of them refreshes ``answer_facts`` for the imports it touched (``store.refresh_facts``).
Every write runs in ``store.transaction`` (one BEGIN..COMMIT, bumps the data version) and
writes the audit log (DPA 2018 Part 3).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard import store
from dashboard.importer.model import ImportPlan
from dashboard.vocab import Quarter, grade_score

# Test hook: seconds to pause inside the import transaction after the first inserts, so a
# test can kill the process there and prove nothing partial is left behind.
PAUSE_ENV = "ARMS_TEST_PAUSE_IN_IMPORT"


class _AlreadyUndone(Exception):
    pass


class _Duplicate(Exception):
    def __init__(self, row: dict):
        self.row = row


def _quarter_label(plan: ImportPlan) -> str | None:
    qs = sorted({r.quarter or plan.quarter for r in plan.reviews if (r.quarter or plan.quarter)})
    if not qs:
        return plan.quarter.label if plan.quarter else None
    return qs[0].label if len(qs) == 1 else f"{qs[0].label} to {qs[-1].label}"


def _pairs(plan: ImportPlan) -> list[tuple[Quarter, str]]:
    return sorted({(r.quarter or plan.quarter, r.force) for r in plan.reviews})


def find_duplicate(cur, sha256: str) -> dict | None:
    row = cur.execute(
        "SELECT import_id, file_name, imported_at FROM imports "
        "WHERE sha256 = ? AND status = 'imported' ORDER BY import_id LIMIT 1",
        [sha256],
    ).fetchone()
    return {"import_id": row[0], "file_name": row[1], "imported_at": row[2]} if row else None


def _keys(plan: ImportPlan) -> list[str]:
    return [f"{q.label}|{force}" for q, force in _pairs(plan)]


def _replaced(cur, plan: ImportPlan, exclude: int | None = None) -> list[dict]:
    """Active reviews of other imports for the plan's quarters and forces (one query)."""
    keys = _keys(plan)
    rows = cur.execute(
        "SELECT r.quarter, r.force, r.import_id, i.file_name, count(*) FROM reviews r "
        "JOIN imports i USING (import_id) "
        "WHERE r.active AND list_contains(?, r.quarter || '|' || r.force) "
        "AND r.import_id IS DISTINCT FROM ? GROUP BY ALL",
        [keys, exclude],
    ).fetchall()
    order = {k: i for i, k in enumerate(keys)}
    out = [
        {"quarter": q, "force": f, "import_id": i, "file_name": fn, "reviews": n}
        for q, f, i, fn, n in rows
    ]
    return sorted(out, key=lambda d: (order[f"{d['quarter']}|{d['force']}"], d["import_id"]))


def plan_effects(con, plan: ImportPlan) -> dict:
    """What committing this plan would do: a duplicate of an earlier import, or replace data."""
    cur = con.cursor()
    if plan.status == "rejected":
        return {"duplicate_of": None, "replaces": []}
    return {"duplicate_of": find_duplicate(cur, plan.sha256), "replaces": _replaced(cur, plan)}


def commit_plan(con, plan: ImportPlan, who: str, *, is_demo: bool = False) -> dict:
    """Write the plan in one transaction; the contract's ingest JSON with ``import_id``, ``replaced``."""
    if plan.status == "rejected":
        out = plan.to_json("rejected")
        out.update(import_id=None, replaced=[], duplicate_of=None)
        return out
    # the duplicate check runs inside the transaction (see _write): a duplicate rolls back,
    # so nothing is written and the data version does not move
    try:
        import_id, replaced = _retrying(lambda: _in_transaction(con, plan, who, is_demo))
    except _Duplicate as d:
        dup = d.row
        out = plan.to_json("duplicate")
        out.update(import_id=dup["import_id"], replaced=[], duplicate_of=dup)
        out["reason"] = (
            f"already imported as import {dup['import_id']} ({dup['file_name']}, "
            f"{dup['imported_at']}): nothing written"
        )
        return out
    out = plan.to_json("imported")
    out.update(import_id=import_id, replaced=replaced, duplicate_of=None)
    return out


def _retrying(fn, attempts: int = 6):
    """Run a write transaction again when another session's write conflicted with it.

    Sessions share one connection (a cursor each); DuckDB's optimistic concurrency makes
    the later of two overlapping writers fail at once, rolled back: it is safe to repeat.
    """
    for attempt in range(attempts):
        try:
            return fn()
        except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
            retry = (
                isinstance(exc, duckdb.TransactionException)
                or "import_id" in str(exc)
                or "PRIMARY KEY" in str(exc).upper()
            )
            if not retry or attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1) + random.random() * 0.03)
    raise AssertionError("unreachable")


def _in_transaction(con, plan: ImportPlan, who: str, is_demo: bool):
    with store.transaction(con) as cur:
        return _write(cur, plan, who, is_demo)


def _write(cur, plan: ImportPlan, who: str, is_demo: bool) -> tuple[int, list[dict]]:
    dup = find_duplicate(cur, plan.sha256)
    if dup is not None:
        raise _Duplicate(dup)
    import_id = cur.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchone()[0]
    counts = plan.counts()
    cur.execute(
        "INSERT INTO imports (import_id, file_name, sha256, imported_by, imported_at, status, quarter, "
        "reviews, answers, warnings, unmatched, is_demo, report_json) "
        "VALUES (?, ?, ?, ?, ?, 'imported', ?, ?, ?, ?, ?, ?, NULL)",
        [
            import_id,
            plan.file_name,
            plan.sha256,
            who,
            store.now(),
            _quarter_label(plan),
            counts["reviews"],
            counts["answers"],
            len(plan.warnings),
            counts["unmatched_rows"],
            is_demo,
        ],
    )
    replaced = _replaced(cur, plan, exclude=import_id)
    if replaced:
        cur.execute(
            "UPDATE reviews SET active = FALSE, replaced_by = ? "
            "WHERE active AND list_contains(?, quarter || '|' || force) AND import_id <> ?",
            [import_id, _keys(plan), import_id],
        )
    n = len(plan.reviews)
    ids = [r[0] for r in cur.execute("SELECT nextval('review_ids') FROM range(?)", [n]).fetchall()]
    rv = {
        k: []
        for k in (
            "review_id",
            "import_id",
            "active",
            "replaced_by",
            "quarter",
            "quarter_idx",
            "quarter_start",
            "force",
            "reviewing_force",
            "risk_level",
            "case_id",
            "officer",
            "reviewer",
            "arms_completed",
            "review_date",
            "question_set_version",
            "sheet",
            "source_ref",
        )
    }
    an = {
        k: []
        for k in (
            "review_id",
            "question_id",
            "grade",
            "grade_score",
            "grade_source",
            "feedback",
            "match_confidence",
            "cell",
            "redactions",
        )
    }
    for rid, r in zip(ids, plan.reviews, strict=True):
        q = r.quarter or plan.quarter
        for k, v in (
            ("review_id", rid),
            ("import_id", import_id),
            ("active", True),
            ("replaced_by", None),
            ("quarter", q.label),
            ("quarter_idx", q.index),
            ("quarter_start", q.start),
            ("force", r.force),
            ("reviewing_force", r.reviewing_force),
            ("risk_level", r.risk_level),
            ("case_id", r.case_id),
            ("officer", r.officer),
            ("reviewer", r.reviewer),
            ("arms_completed", r.arms_completed),
            ("review_date", r.review_date),
            ("question_set_version", plan.question_set_version),
            ("sheet", r.sheet),
            ("source_ref", r.source_ref),
        ):
            rv[k].append(v)
        for a in r.answers:
            for k, v in (
                ("review_id", rid),
                ("question_id", a.question_id),
                ("grade", a.grade),
                ("grade_score", grade_score(a.grade)),
                ("grade_source", a.grade_source),
                ("feedback", a.feedback),
                ("match_confidence", float(a.match_confidence)),
                ("cell", a.cell),
                ("redactions", a.redactions),
            ):
                an[k].append(v)
    _insert(
        cur,
        "reviews",
        rv,
        {
            "review_id": pa.int32(),
            "import_id": pa.int32(),
            "active": pa.bool_(),
            "replaced_by": pa.int32(),
            "quarter_idx": pa.int32(),
            "quarter_start": pa.date32(),
            "arms_completed": pa.date32(),
            "review_date": pa.date32(),
            "question_set_version": pa.int32(),
        },
    )
    pause = os.environ.get(PAUSE_ENV)
    if pause:
        print(f"paused inside import {import_id}", file=sys.stderr, flush=True)
        time.sleep(float(pause))
    _insert(
        cur,
        "answers",
        an,
        {
            "review_id": pa.int32(),
            "grade_score": pa.float64(),
            "match_confidence": pa.float64(),
            "redactions": pa.int32(),
        },
    )
    review_of_case = {}
    for rid, r in zip(ids, plan.reviews, strict=True):
        review_of_case.setdefault(r.sheet, []).append(rid)
    um = {k: [] for k in ("import_id", "review_id", "sheet", "cell", "text", "grade", "feedback")}
    for u in plan.unmatched:
        sheet_ids = review_of_case.get(u.sheet, [])
        rid = (
            sheet_ids[u.case_index]
            if u.case_index is not None and u.case_index < len(sheet_ids)
            else None
        )
        for k, v in (
            ("import_id", import_id),
            ("review_id", rid),
            ("sheet", u.sheet),
            ("cell", u.cell),
            ("text", u.text),
            ("grade", u.grade),
            ("feedback", u.feedback),
        ):
            um[k].append(v)
    _insert(cur, "unmatched_rows", um, {"import_id": pa.int32(), "review_id": pa.int32()})
    # the new import's facts in, the facts of the reviews it replaced out
    store.refresh_facts(cur, import_ids=[import_id, *(rep["import_id"] for rep in replaced)])
    report = plan.to_json("imported")
    report.update(import_id=import_id, replaced=replaced)
    cur.execute(
        "UPDATE imports SET report_json = ? WHERE import_id = ?",
        [json.dumps(report, default=str), import_id],
    )
    store.audit(
        cur,
        who,
        "import",
        {
            "file": plan.file_name,
            "sha256": plan.sha256,
            "quarter": _quarter_label(plan),
            "reviews": counts["reviews"],
            "answers": counts["answers"],
            "demo": is_demo,
        },
        import_id,
    )
    for rep in replaced:
        store.audit(cur, who, "replace", rep, import_id)
    return import_id, replaced


def _insert(cur, table: str, columns: dict[str, list], types: dict[str, pa.DataType]) -> None:
    """Insert column lists in one statement through Arrow (real NULLs, no per-row round trips)."""
    if not next(iter(columns.values())):
        return
    arrays = {k: pa.array(v, type=types.get(k, pa.string())) for k, v in columns.items()}
    tbl = pa.table(arrays)  # noqa: F841 - read by DuckDB's replacement scan below
    name = f"_arms_{table}_batch"
    cur.register(name, tbl)
    try:
        cur.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM {name}")
    finally:
        cur.unregister(name)


def undo_import(con, import_id: int, who: str) -> dict:
    """Remove an import's data and bring back what it replaced; the history row stays."""
    cur = con.cursor()
    row = cur.execute(
        "SELECT status, file_name FROM imports WHERE import_id = ?", [import_id]
    ).fetchone()
    if row is None:
        return {
            "status": "rejected",
            "import_id": import_id,
            "reason": f"there is no import {import_id}",
        }
    if row[0] != "imported":
        return {
            "status": "rejected",
            "import_id": import_id,
            "reason": f"import {import_id} ({row[1]}) was already undone",
        }

    def tx():
        with store.transaction(con) as cur:
            status = cur.execute(
                "SELECT status FROM imports WHERE import_id = ?", [import_id]
            ).fetchone()[0]
            if status != "imported":
                raise _AlreadyUndone()
            removed = cur.execute(
                "SELECT count(*) FROM reviews WHERE import_id = ?", [import_id]
            ).fetchone()[0]
            cur.execute(
                "DELETE FROM answers WHERE review_id IN (SELECT review_id FROM reviews WHERE import_id = ?)",
                [import_id],
            )
            cur.execute("DELETE FROM unmatched_rows WHERE import_id = ?", [import_id])
            cur.execute("DELETE FROM reviews WHERE import_id = ?", [import_id])
            back = cur.execute(
                "SELECT quarter, force, import_id, count(*) FROM reviews WHERE replaced_by = ? "
                "GROUP BY ALL ORDER BY ALL",
                [import_id],
            ).fetchall()
            restored = []
            for q, f, old_id, n in back:
                # a later import may already hold this quarter and force: then the older data
                # stays replaced (now by that import) rather than coming back beside it
                holder = cur.execute(
                    "SELECT max(import_id) FROM reviews WHERE active AND quarter = ? AND force = ?",
                    [q, f],
                ).fetchone()[0]
                if holder is not None:
                    cur.execute(
                        "UPDATE reviews SET replaced_by = ? WHERE replaced_by = ? AND quarter = ? "
                        "AND force = ? AND import_id = ?",
                        [holder, import_id, q, f, old_id],
                    )
                    continue
                cur.execute(
                    "UPDATE reviews SET active = TRUE, replaced_by = NULL WHERE replaced_by = ? "
                    "AND quarter = ? AND force = ? AND import_id = ?",
                    [import_id, q, f, old_id],
                )
                restored.append({"quarter": q, "force": f, "import_id": old_id, "reviews": n})
            # the undone import's facts out, those of the reviews it brought back in
            store.refresh_facts(cur, import_ids=[import_id, *(r["import_id"] for r in restored)])
            cur.execute("UPDATE imports SET status = 'undone' WHERE import_id = ?", [import_id])
            store.audit(
                cur,
                who,
                "undo",
                {"file": row[1], "reviews_removed": removed, "restored": restored},
                import_id,
            )
        return removed, restored

    try:
        removed, restored = _retrying(tx)
    except _AlreadyUndone:
        return {
            "status": "rejected",
            "import_id": import_id,
            "reason": f"import {import_id} ({row[1]}) was already undone",
        }
    return {
        "status": "undone",
        "import_id": import_id,
        "file": row[1],
        "reviews_removed": removed,
        "restored": restored,
    }


def import_history(con) -> pd.DataFrame:
    """Every import, newest first: who, when, file hash, counts, status, what it replaced."""
    return (
        con.cursor()
        .execute(
            """
        SELECT i.import_id, i.imported_at, i.imported_by, i.file_name, i.sha256, i.status, i.quarter,
               i.reviews, i.answers, i.warnings, i.unmatched, i.is_demo,
               (SELECT count(*) FROM reviews r WHERE r.import_id = i.import_id AND r.active) AS active_reviews,
               (SELECT string_agg(DISTINCT r.force, ', ' ORDER BY r.force) FROM reviews r
                 WHERE r.import_id = i.import_id) AS forces,
               (SELECT min(r.replaced_by) FROM reviews r WHERE r.import_id = i.import_id) AS replaced_by
        FROM imports i ORDER BY i.import_id DESC
        """
        )
        .df()
    )


def import_report(con, import_id: int) -> dict | None:
    row = (
        con.cursor()
        .execute("SELECT report_json FROM imports WHERE import_id = ?", [import_id])
        .fetchone()
    )
    return json.loads(row[0]) if row and row[0] else None
