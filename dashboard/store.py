"""The DuckDB store: schema, migrations, the data version, and the write paths.

One connection per process (``connect``); callers take a fresh ``cursor()`` per query
because a DuckDB connection is not thread-safe. Every write runs in one explicit
``BEGIN ... COMMIT`` and bumps ``data_version`` so caches keyed on it never go stale.
Every write to ``reviews`` or ``answers`` also calls ``refresh_facts`` in that transaction,
so the ``answer_facts`` table every analysis reads stays in step with them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from dashboard.vocab import DATA_DIR, Forces, default_forces

SCHEMA_VERSION = 3
DEFAULT_DB = DATA_DIR / "arms.duckdb"

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

-- question sets are data, versioned; reviews keep the version they were graded against
CREATE TABLE IF NOT EXISTS question_sets (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    source VARCHAR,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT FALSE,
    imported_at TIMESTAMP NOT NULL,
    imported_by VARCHAR
);
CREATE TABLE IF NOT EXISTS questions (
    version INTEGER NOT NULL,
    question_id VARCHAR NOT NULL,      -- e.g. '1.1'
    section_no INTEGER NOT NULL,
    section VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,          -- display order within the set
    text VARCHAR NOT NULL,
    PRIMARY KEY (version, question_id)
);

CREATE TABLE IF NOT EXISTS forces (
    force VARCHAR PRIMARY KEY,         -- canonical short name
    full_name VARCHAR NOT NULL,
    aliases VARCHAR NOT NULL DEFAULT '' -- '|' separated
);

CREATE TABLE IF NOT EXISTS imports (
    import_id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    imported_by VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,           -- imported | undone
    quarter VARCHAR,
    reviews INTEGER NOT NULL DEFAULT 0,
    answers INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    unmatched INTEGER NOT NULL DEFAULT 0,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    report_json VARCHAR                 -- the import report, as the contract's JSON
);

CREATE SEQUENCE IF NOT EXISTS review_ids START 1;
CREATE TABLE IF NOT EXISTS reviews (
    review_id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,    -- FALSE once a re-send replaced it
    replaced_by INTEGER,                     -- the import that replaced it
    quarter VARCHAR NOT NULL,                -- '2024/25 Q2'
    quarter_idx INTEGER NOT NULL,            -- Quarter.index: consecutive quarters differ by 1
    quarter_start DATE NOT NULL,
    force VARCHAR NOT NULL,
    reviewing_force VARCHAR,
    risk_level VARCHAR,                      -- Low/Medium/High/Very high, or NULL
    case_id VARCHAR,                         -- keyed pseudonym, never the raw reference
    officer VARCHAR,
    reviewer VARCHAR,
    arms_completed DATE,
    review_date DATE,
    question_set_version INTEGER NOT NULL,
    sheet VARCHAR,
    source_ref VARCHAR                       -- where in the workbook (e.g. 'columns C:D')
);

CREATE TABLE IF NOT EXISTS answers (
    review_id INTEGER NOT NULL,
    question_id VARCHAR NOT NULL,
    grade VARCHAR,                           -- canonical word, 'N/A', or NULL when ungraded
    grade_score DOUBLE,                      -- 4..1; NULL for N/A and ungraded
    grade_source VARCHAR,                    -- text | colour | both
    feedback VARCHAR,
    match_confidence DOUBLE,
    cell VARCHAR,                            -- grade cell as the user sees it, e.g. 'E14'
    redactions INTEGER NOT NULL DEFAULT 0
);

-- rows that matched no question: kept for review, never dropped
CREATE TABLE IF NOT EXISTS unmatched_rows (
    import_id INTEGER NOT NULL,
    review_id INTEGER,
    sheet VARCHAR,
    cell VARCHAR,
    text VARCHAR,
    grade VARCHAR,
    feedback VARCHAR
);

-- Data Protection Act 2018 Part 3 logging: collection, alteration, disclosure, erasure
CREATE TABLE IF NOT EXISTS audit_log (
    logged_at TIMESTAMP NOT NULL,
    who VARCHAR NOT NULL,
    action VARCHAR NOT NULL,                 -- import | replace | undo | export | settings | questions | demo
    import_id INTEGER,
    detail VARCHAR
);

CREATE SEQUENCE IF NOT EXISTS intervention_ids START 1;
CREATE TABLE IF NOT EXISTS interventions (
    intervention_id INTEGER PRIMARY KEY,
    force VARCHAR NOT NULL,
    officer VARCHAR,                         -- NULL: the whole force
    question_id VARCHAR,                     -- NULL: a theme or section
    topic VARCHAR NOT NULL,                  -- what the training was
    delivered_on DATE NOT NULL,
    notes VARCHAR,
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

-- what every analysis reads: current answers with their review and question
-- (version 2 replaces this view with a table of the same name and columns)
CREATE OR REPLACE VIEW answer_facts AS
SELECT r.review_id, r.import_id, r.quarter, r.quarter_idx, r.quarter_start, r.force,
       r.reviewing_force, r.risk_level, r.case_id, r.officer, r.reviewer,
       r.question_set_version, a.question_id, q.section_no, q.section, q.ordinal,
       q.text AS question, a.grade, a.grade_score, a.grade_source, a.feedback, a.cell, r.sheet
FROM reviews r
JOIN answers a USING (review_id)
LEFT JOIN questions q ON q.version = r.question_set_version AND q.question_id = a.question_id
WHERE r.active;
"""

# Feedback in the form theme keywords are matched against: lower case, every run of other
# characters than letters and digits made one space, a space in front (``analysis.feedback``).
FEEDBACK_WORDS = "(' ' || regexp_replace(lower({col}), '[^a-z0-9]+', ' ', 'g'))"

# What ``answer_facts`` holds: current (active) answers with their review and the wording
# of the question in the set the review was graded against (the version 1 view's columns),
# and ``feedback_words``. Question sets are only ever added, never edited, so a review's
# facts change only when its review or answers do.
_FACTS_V2_SELECT = """
SELECT r.review_id, r.import_id, r.quarter, r.quarter_idx, r.quarter_start, r.force,
       r.reviewing_force, r.risk_level, r.case_id, r.officer, r.reviewer,
       r.question_set_version, a.question_id, q.section_no, q.section, q.ordinal,
       q.text AS question, a.grade, a.grade_score, a.grade_source, a.feedback, a.cell, r.sheet
FROM reviews r
JOIN answers a USING (review_id)
LEFT JOIN questions q ON q.version = r.question_set_version AND q.question_id = a.question_id
WHERE r.active"""

FACTS_SELECT = f"""
SELECT r.review_id, r.import_id, r.quarter, r.quarter_idx, r.quarter_start, r.force,
       r.reviewing_force, r.risk_level, r.case_id, r.officer, r.reviewer,
       r.question_set_version, a.question_id, q.section_no, q.section, q.ordinal,
       q.text AS question, a.grade, a.grade_score, a.grade_source, a.feedback, a.cell, r.sheet,
       {FEEDBACK_WORDS.format(col="a.feedback")} AS feedback_words
FROM reviews r
JOIN answers a USING (review_id)
LEFT JOIN questions q ON q.version = r.question_set_version AND q.question_id = a.question_id
WHERE r.active"""

# Version 2: ``answer_facts`` becomes a table (same columns as the version 1 view), kept in
# step with reviews and answers by ``refresh_facts`` inside every write transaction: every
# analysis reads it, and a join of three tables on each of a page's queries cost 20-35%.
_SCHEMA_V2 = f"""
DROP VIEW IF EXISTS answer_facts;
CREATE TABLE answer_facts AS {_FACTS_V2_SELECT}
ORDER BY quarter_idx, force, review_id;
"""

# Version 3: the feedback's normal form is worked out once per answer, not on every theme
# query (a regular expression over every feedback text of the selection).
_SCHEMA_V3 = f"""
CREATE TABLE answer_facts_v3 AS
SELECT *, {FEEDBACK_WORDS.format(col="feedback")} AS feedback_words FROM answer_facts
ORDER BY quarter_idx, force, review_id;
DROP TABLE answer_facts;
ALTER TABLE answer_facts_v3 RENAME TO answer_facts;
"""

_MIGRATIONS: dict[int, str] = {
    # version -> SQL taking the database from version-1 to version
    1: _SCHEMA_V1,
    2: _SCHEMA_V2,
    3: _SCHEMA_V3,
}

_lock = threading.Lock()


def default_db_path() -> Path:
    env = os.environ.get("ARMS_DB")
    return Path(env) if env else DEFAULT_DB


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating if needed) the database at ``path``."""
    p = Path(path) if path is not None else default_db_path()
    if str(p) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(p), read_only=read_only)
    if not read_only:
        migrate(con)
    return con


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    cur = con.cursor()
    has_meta = cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()[0]
    if not has_meta:
        return 0
    row = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring an older database up to ``SCHEMA_VERSION``, one step per version."""
    with _lock:
        current = schema_version(con)
        if current > SCHEMA_VERSION:
            raise RuntimeError(
                f"database schema {current} is newer than this program ({SCHEMA_VERSION})"
            )
        if current == SCHEMA_VERSION:
            return
        cur = con.cursor()
        cur.execute("BEGIN")
        try:
            for v in range(current + 1, SCHEMA_VERSION + 1):
                cur.execute(_MIGRATIONS[v])
            cur.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )
            cur.execute("INSERT OR IGNORE INTO meta VALUES ('data_version', '0')")
            if not cur.execute("SELECT count(*) FROM forces").fetchone()[0]:
                _write_forces(cur, default_forces())
            cur.execute("COMMIT")
        except Exception:
            cur.execute("ROLLBACK")
            raise
        if current:  # a migrated database: write the rebuilt tables out compactly now
            try:
                cur.execute("CHECKPOINT")
            except duckdb.Error:  # another transaction is open: DuckDB checkpoints later
                pass
    # the default question set is data too; loaded outside the schema transaction
    from dashboard import questions

    questions.ensure_default(con)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One explicit transaction on a fresh cursor; bumps the data version on commit."""
    cur = con.cursor()
    cur.execute("BEGIN")
    try:
        yield cur
        cur.execute(
            "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
            "WHERE key = 'data_version'"
        )
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Changes with every write: the key for every cache."""
    row = con.cursor().execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def refresh_facts(
    cur,
    import_ids: list[int] | None = None,
    review_ids: list[int] | None = None,
) -> None:
    """Bring ``answer_facts`` in step with reviews and answers, inside the caller's transaction.

    Every write to ``reviews`` or ``answers`` calls this before it commits: with the imports
    (or reviews) whose rows it added, removed, activated or deactivated, so only their facts
    are deleted and inserted again; with neither, the whole table is rebuilt.
    """
    if import_ids is None and review_ids is None:
        cur.execute("DELETE FROM answer_facts")
        cur.execute(f"INSERT INTO answer_facts {FACTS_SELECT}")
        return
    imports = sorted({int(i) for i in import_ids or []})
    reviews = sorted({int(i) for i in review_ids or []})
    if not imports and not reviews:
        return
    cur.execute(
        "DELETE FROM answer_facts WHERE list_contains(?, import_id) OR list_contains(?, review_id)",
        [imports, reviews],
    )
    cur.execute(
        f"INSERT INTO answer_facts {FACTS_SELECT} "
        "AND (list_contains(?, r.import_id) OR list_contains(?, r.review_id))",
        [imports, reviews],
    )


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def audit(cur, who: str, action: str, detail: object = None, import_id: int | None = None) -> None:
    """Record a collection, alteration, disclosure or erasure (DPA 2018 Part 3)."""
    text = detail if isinstance(detail, str) or detail is None else json.dumps(detail, default=str)
    cur.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?)", [now(), who, action, import_id, text]
    )


# -------------------------------------------------------------------------- forces


def _write_forces(cur, forces: Forces) -> None:
    cur.execute("DELETE FROM forces")
    for r in forces.to_rows():
        cur.execute(
            "INSERT INTO forces VALUES (?, ?, ?)", [r["force"], r["full_name"], r["aliases"]]
        )


def load_forces(con: duckdb.DuckDBPyConnection) -> Forces:
    rows = (
        con.cursor()
        .execute("SELECT force, full_name, aliases FROM forces ORDER BY rowid")
        .fetchall()
    )
    if not rows:
        return default_forces()
    return Forces.from_rows([{"force": f, "full_name": n, "aliases": a} for f, n, a in rows])


def save_forces(con: duckdb.DuckDBPyConnection, forces: Forces, who: str) -> None:
    with transaction(con) as cur:
        _write_forces(cur, forces)
        audit(cur, who, "settings", {"forces": forces.to_rows()})


# ------------------------------------------------------------------------- settings


def get_setting_values(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    rows = con.cursor().execute("SELECT key, value FROM settings").fetchall()
    return {k: json.loads(v) for k, v in rows}


def put_settings(con: duckdb.DuckDBPyConnection, values: dict[str, object], who: str) -> None:
    with transaction(con) as cur:
        for k, v in values.items():
            cur.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [k, json.dumps(v)])
        audit(cur, who, "settings", values)


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the data shown came from the bundled demo."""
    row = (
        con.cursor()
        .execute(
            "SELECT count(*) FILTER (WHERE is_demo), count(*) FROM imports WHERE status = 'imported'"
        )
        .fetchone()
    )
    return bool(row[0])


def has_data(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.cursor().execute("SELECT count(*) FROM reviews WHERE active").fetchone()[0])
