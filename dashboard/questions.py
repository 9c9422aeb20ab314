"""Question sets as data: the illustrative default and a force's real set, versioned.

The real national QA question set is controlled material, so it is never in code: the
bundled set is illustrative and says so; ``python -m dashboard questions --import FILE``
loads the real one as a new version. Reviews keep the version they were graded against.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dashboard.vocab import DATA_DIR

ILLUSTRATIVE_FILE = DATA_DIR / "questions_illustrative.csv"
ILLUSTRATIVE_NAME = "Illustrative ARMS QA question set (not the national tool)"
REQUIRED_COLUMNS = ("question_id", "section", "text")


@dataclass(frozen=True)
class Question:
    question_id: str
    section_no: int
    section: str
    text: str
    ordinal: int


class QuestionSetError(ValueError):
    """A question set file that cannot be used; the message is one line for a person."""


def parse_question_file(data: bytes, file_name: str) -> list[Question]:
    """Questions from a CSV or XLSX with columns question_id, section, text (section_no optional)."""
    name = file_name.lower()
    if name.endswith(".xlsx"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any reader failure is a refusal
            raise QuestionSetError(
                f"{file_name} is not a readable .xlsx file ({exc.__class__.__name__})"
            ) from None
        ws = wb.worksheets[0]
        rows = [
            ["" if v is None else str(v).strip() for v in r] for r in ws.iter_rows(values_only=True)
        ]
        wb.close()
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]
    else:
        raise QuestionSetError(f"{file_name}: a question set must be a .csv or .xlsx file")
    rows = [r for r in rows if any(r)]
    if not rows:
        raise QuestionSetError(f"{file_name} has no rows")
    header = [re.sub(r"[^a-z_]", "", h.lower().replace(" ", "_")) for h in rows[0]]
    aliases = {
        "id": "question_id",
        "no": "question_id",
        "number": "question_id",
        "question": "text",
        "question_text": "text",
        "section_name": "section",
    }
    header = [aliases.get(h, h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise QuestionSetError(
            f"{file_name} needs the columns question_id, section, text (missing: {', '.join(missing)})"
        )
    col = {h: i for i, h in enumerate(header)}
    out: list[Question] = []
    seen: set[str] = set()
    sections: dict[str, int] = {}
    for n, r in enumerate(rows[1:], start=2):
        r = r + [""] * (len(header) - len(r))
        qid, section, text = r[col["question_id"]], r[col["section"]], r[col["text"]]
        if not qid or not text:
            raise QuestionSetError(f"{file_name} row {n}: question_id and text are required")
        if qid in seen:
            raise QuestionSetError(f"{file_name} row {n}: question_id {qid} appears twice")
        seen.add(qid)
        if "section_no" in col and r[col["section_no"]].strip():
            try:
                sno = int(float(r[col["section_no"]]))
            except ValueError:
                raise QuestionSetError(
                    f"{file_name} row {n}: section_no must be a number"
                ) from None
        else:
            sno = sections.setdefault(section, len(sections) + 1)
        sections.setdefault(section, sno)
        out.append(Question(qid, sno, section or f"Section {sno}", text, len(out) + 1))
    if len(out) < 1:
        raise QuestionSetError(f"{file_name} has no questions")
    return out


def _insert_set(
    cur,
    questions: list[Question],
    name: str,
    source: str,
    illustrative: bool,
    who: str,
    activate: bool,
) -> int:
    from dashboard.store import now

    version = cur.execute("SELECT coalesce(max(version), 0) + 1 FROM question_sets").fetchone()[0]
    if activate:
        cur.execute("UPDATE question_sets SET active = FALSE")
    cur.execute(
        "INSERT INTO question_sets VALUES (?, ?, ?, ?, ?, ?, ?)",
        [version, name, source, illustrative, activate, now(), who],
    )
    cur.executemany(
        "INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?)",
        [[version, q.question_id, q.section_no, q.section, q.ordinal, q.text] for q in questions],
    )
    return version


def ensure_default(con: duckdb.DuckDBPyConnection) -> None:
    """Load the illustrative set as version 1 into a database that has none."""
    from dashboard.store import transaction

    if con.cursor().execute("SELECT count(*) FROM question_sets").fetchone()[0]:
        return
    qs = parse_question_file(ILLUSTRATIVE_FILE.read_bytes(), ILLUSTRATIVE_FILE.name)
    with transaction(con) as cur:
        _insert_set(cur, qs, ILLUSTRATIVE_NAME, ILLUSTRATIVE_FILE.name, True, "system", True)


def import_question_set(
    con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, who: str, name: str | None = None
) -> int:
    """Add a new version from a file and make it active; returns the version number."""
    from dashboard.store import audit, transaction

    qs = parse_question_file(data, file_name)
    with transaction(con) as cur:
        version = _insert_set(cur, qs, name or Path(file_name).stem, file_name, False, who, True)
        audit(cur, who, "questions", {"version": version, "file": file_name, "questions": len(qs)})
    return version


def active_version(con: duckdb.DuckDBPyConnection) -> int:
    row = (
        con.cursor()
        .execute("SELECT version FROM question_sets WHERE active ORDER BY version DESC LIMIT 1")
        .fetchone()
    )
    if row is None:
        raise RuntimeError("no active question set")
    return row[0]


def load_questions(con: duckdb.DuckDBPyConnection, version: int | None = None) -> list[Question]:
    v = active_version(con) if version is None else version
    rows = (
        con.cursor()
        .execute(
            "SELECT question_id, section_no, section, text, ordinal FROM questions "
            "WHERE version = ? ORDER BY ordinal",
            [v],
        )
        .fetchall()
    )
    return [Question(qid, sno, sec, text, o) for qid, sno, sec, text, o in rows]


def question_sets(con: duckdb.DuckDBPyConnection) -> list[dict]:
    cur = con.cursor()
    rows = cur.execute(
        "SELECT s.version, s.name, s.source, s.illustrative, s.active, s.imported_at, "
        "(SELECT count(*) FROM questions q WHERE q.version = s.version) AS questions, "
        "(SELECT count(*) FROM reviews r WHERE r.question_set_version = s.version) AS reviews "
        "FROM question_sets s ORDER BY version"
    ).fetchall()
    cols = [
        "version",
        "name",
        "source",
        "illustrative",
        "active",
        "imported_at",
        "questions",
        "reviews",
    ]
    return [dict(zip(cols, r, strict=True)) for r in rows]
