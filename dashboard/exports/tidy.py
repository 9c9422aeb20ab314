"""The tidy export: one row per answer, the contract's columns in order (contract.md).

``tidy_frame`` reads ``answer_facts`` through the shared ``Filters``; ``to_csv_bytes`` /
``to_xlsx_bytes`` neutralise formula injection (``safe.neutralise``) and keep numbers as
numbers; ``export_tidy`` writes a file by its suffix and logs the disclosure (DPA 2018).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from analysis.filters import Filters
from dashboard.exports.safe import neutralise, neutralise_frame
from dashboard.vocab import RISK_LEVELS, Quarter, parse_quarter

# contract.md, in this order; extras follow
TIDY_COLUMNS: tuple[str, ...] = (
    "quarter",
    "quarter_start",
    "force",
    "reviewing_force",
    "risk_level",
    "case_id",
    "officer",
    "question_id",
    "section",
    "question",
    "grade",
    "grade_score",
    "grade_source",
    "feedback",
)
EXTRA_COLUMNS: tuple[str, ...] = ("reviewer",)

FORMATS = {".csv": "CSV", ".xlsx": "XLSX", ".parquet": "Parquet"}


def resolve_quarter(quarter: Quarter | str | None) -> Quarter | None:
    """A Quarter from a Quarter or a label; ValueError with one line when it is not one."""
    if quarter is None or isinstance(quarter, Quarter):
        return quarter
    q = parse_quarter(quarter)
    if q is None:
        raise ValueError(f"{quarter!r} is not a quarter like '2024/25 Q2'")
    return q


def tidy_frame(
    cur, filters: Filters | None = None, quarter: Quarter | str | None = None
) -> pd.DataFrame:
    """One row per current answer within ``filters`` (and ``quarter`` if given), contract columns first."""
    f = filters or Filters()
    q = resolve_quarter(quarter)
    if q is not None:
        f = f.but(quarter_from=q.index, quarter_to=q.index)
    where, params = f.where()
    risk_order = " ".join(f"WHEN '{r}' THEN {i}" for i, r in enumerate(RISK_LEVELS))
    sql = f"""
        SELECT quarter, quarter_start, force, reviewing_force, risk_level, case_id, officer,
               question_id, section, question, grade, grade_score, grade_source, feedback,
               reviewer
        FROM answer_facts
        WHERE {where}
        ORDER BY quarter_idx, force, CASE risk_level {risk_order} ELSE 99 END, case_id,
                 review_id, section_no, ordinal, question_id
    """
    df = cur.execute(sql, params).df()
    if len(df):
        df["quarter_start"] = pd.to_datetime(df["quarter_start"]).dt.date
    df["grade_score"] = df["grade_score"].astype("float64")
    return df[list(TIDY_COLUMNS + EXTRA_COLUMNS)]


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads the accents), text neutralised, 4 not 4.0.

    Rows end in CRLF (RFC 4180), which also makes the writer quote any field holding a
    carriage return or a line feed, so a stray CR cannot split a row.
    """
    safe = neutralise_frame(df)
    return safe.to_csv(index=False, float_format="%g", lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    """An XLSX with one sheet: bold header, filters, frozen header, text neutralised.

    Written in openpyxl's streaming mode: a whole region's history (thousands of rows)
    takes well under a second.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name[:31])
    columns = [str(c) for c in df.columns]
    for i, col in enumerate(columns, start=1):
        sample = df[col].head(200).astype(str).str.len().max() if len(df) else 0
        width = max(len(col), int(sample or 0))
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(df) + 1)}"
    bold = Font(bold=True)
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=neutralise(c))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    date_cols = {
        i
        for i, c in enumerate(columns)
        if pd.api.types.is_datetime64_any_dtype(df[c]) or c.endswith(("_start", "_on", "date"))
    }
    for row in df.itertuples(index=False, name=None):
        values = [_xlsx_value(v) for v in row]
        for i in date_cols:
            if values[i] is not None:
                cell = WriteOnlyCell(ws, value=values[i])
                cell.number_format = "yyyy-mm-dd"
                values[i] = cell
        ws.append(values)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_value(v: object) -> object:
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalars
        v = v.item()
    if isinstance(v, (list, tuple)):
        v = ", ".join(map(str, v))
    return neutralise(v)


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """Parquet keeps types; it is not opened by a spreadsheet, so text is written as is."""
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def frame_bytes(df: pd.DataFrame, suffix: str) -> bytes:
    """Bytes of ``df`` for a file suffix (``.csv``, ``.xlsx``, ``.parquet``)."""
    suffix = suffix.lower()
    if suffix == ".csv":
        return to_csv_bytes(df)
    if suffix == ".xlsx":
        return to_xlsx_bytes(df)
    if suffix == ".parquet":
        return to_parquet_bytes(df)
    raise ValueError(
        f"cannot write {suffix or 'a file without a suffix'}: use .csv, .xlsx or .parquet"
    )


def audit_export(con, who: str, detail: dict) -> None:
    """Log a disclosure (DPA 2018 Part 3). Not a data change, so the data version stays."""
    from dashboard.store import audit

    cur = con.cursor()
    cur.execute("BEGIN")
    try:
        audit(cur, who, "export", detail)
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


def export_tidy(
    con,
    out: Path | str,
    quarter: Quarter | str | None = None,
    who: str = "unknown",
    filters: Filters | None = None,
) -> int:
    """Write the tidy table to ``out`` (format by suffix); returns the number of answers."""
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise ValueError(f"cannot write {out.name}: use .csv, .xlsx or .parquet")
    q = resolve_quarter(quarter)
    df = tidy_frame(con.cursor(), filters, q)
    if df.empty:
        raise ValueError(f"no data for {q.label}" if q else "no data to export")
    data = frame_bytes(df, out.suffix)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    audit_export(
        con,
        who,
        {
            "kind": "tidy",
            "file": out.name,
            "rows": len(df),
            "quarter": q.label if q else None,
            "filters": repr(filters) if filters else None,
        },
    )
    return len(df)
