"""Writes for the intervention log: what training was given, to whom, when.

Each write is one transaction with an audit entry (DPA 2018 Part 3: alteration, erasure).
Reading the log and its before/after effect is ``analysis.training_needs``.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from dashboard import store


class InterventionError(ValueError):
    """An intervention that cannot be saved; the message is one line for a person."""


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InterventionError(f"delivered on {value!r} is not a date like 2024-09-30") from None


def add_intervention(
    con: duckdb.DuckDBPyConnection,
    force: str,
    topic: str,
    delivered_on: dt.date | str,
    who: str,
    *,
    officer: str | None = None,
    question_id: str | None = None,
    notes: str | None = None,
) -> int:
    """Record an intervention for a force (or one officer, or one question); returns its id."""
    force_c, topic_c = _clean(force), _clean(topic)
    if not force_c:
        raise InterventionError("an intervention needs the force it was for")
    if not topic_c:
        raise InterventionError("an intervention needs a topic (what the training was)")
    day = _date(delivered_on)
    officer_c, question_c = _clean(officer), _clean(question_id)
    notes_c = str(notes).strip() if notes is not None and str(notes).strip() else None
    with store.transaction(con) as cur:
        new_id = cur.execute("SELECT nextval('intervention_ids')").fetchone()[0]
        cur.execute(
            "INSERT INTO interventions (intervention_id, force, officer, question_id, topic,"
            " delivered_on, notes, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [new_id, force_c, officer_c, question_c, topic_c, day, notes_c, store.now(), who],
        )
        store.audit(
            cur,
            who,
            "intervention",
            {
                "added": new_id,
                "force": force_c,
                "officer": officer_c,
                "question_id": question_c,
                "topic": topic_c,
                "delivered_on": day.isoformat(),
            },
        )
    return int(new_id)


def delete_intervention(con: duckdb.DuckDBPyConnection, intervention_id: int, who: str) -> bool:
    """Remove one intervention from the log; False when there was none with that id."""
    with store.transaction(con) as cur:
        row = cur.execute(
            "SELECT force, topic, delivered_on FROM interventions WHERE intervention_id = ?",
            [int(intervention_id)],
        ).fetchone()
        if row is None:
            return False
        cur.execute("DELETE FROM interventions WHERE intervention_id = ?", [int(intervention_id)])
        store.audit(
            cur,
            who,
            "intervention",
            {
                "deleted": int(intervention_id),
                "force": row[0],
                "topic": row[1],
                "delivered_on": str(row[2]),
            },
        )
    return True
