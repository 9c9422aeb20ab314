"""The collated regional workbook: one tab per force under review, in the layout of workbooks.md.

One writer serves three callers: the export from the database (``regional_workbook_bytes``),
the demo generator (which asks for the variations people really send through ``Style``)
and the blank review template (``template.py`` adds drop-downs and protection to the
same layout). The canonical output imports back unchanged through the importer.

Canonical sheet (columns A, B, then a grade + feedback pair per case)::

    ARMS peer review - Cheshire Constabulary - 2024/25 Q2
    Reviewing force | Merseyside Police
    Risk level      |   | Low (merged C:D) | Medium (E:F) ...
    Case reference  |   | C-ABCDEFGHIJ ...
    Offender manager, ARMS completed, Reviewer
    No. | Question | Grade | Feedback | Grade | Feedback ...
    Section 1 - Timeliness and process (merged)
    1.1 | Was the ARMS ... | Good (green fill) | Completed on time ...
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.exports.safe import neutralise
from dashboard.questions import Question, load_questions
from dashboard.vocab import (
    NA,
    NA_COLOUR,
    NO_DATA_COLOUR,
    RISK_LEVELS,
    Forces,
    Quarter,
    grade_by_name,
    grade_scale,
    hex_to_rgb,
)

TITLE_PREFIX = "ARMS peer review"
HEADER_FILL = "1F3864"  # dark blue: not a grade colour (hue ~220)
HEADER_FONT = "FFFFFF"

# metadata rows: field -> (canonical label, alternate label people also use)
META_LABELS: dict[str, tuple[str, str]] = {
    "risk_level": ("Risk level", "Risk category"),
    "case_ref": ("Case reference", "Case ref"),
    "officer": ("Offender manager", "OM"),
    "arms_completed": ("ARMS completed", "Date of ARMS"),
    "reviewer": ("Reviewer", "Reviewed by"),
}
META_ORDER = ("risk_level", "case_ref", "officer", "arms_completed", "reviewer")
ALTERNATE_META_ORDER = ("officer", "risk_level", "reviewer", "case_ref", "arms_completed")


# ---------------------------------------------------------------------- the data


@dataclass
class CaseColumn:
    """One reviewed case: its metadata and its answers (question_id -> (grade, feedback))."""

    risk_level: str | None
    case_ref: str | None  # the pseudonym when exporting from the database
    officer: str | None
    arms_completed: dt.date | None
    reviewer: str | None
    answers: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


@dataclass
class ForceSheet:
    force: str  # canonical short name
    reviewing_force: str | None
    cases: list[CaseColumn] = field(default_factory=list)


@dataclass
class Style:
    """How the workbook looks. The defaults are the canonical layout; the rest are the
    variations people really send (used by the demo to exercise the importer)."""

    grades: str = "both"  # 'both' | 'text' | 'colour' (colour only: the cell is left empty)
    words: str = "full"  # 'full' | 'short' (O / G / RI / I)
    fills: str = "solid"  # 'solid' HMICFRS colours | 'pale' Excel-style tints
    layout: str = "blocks"  # 'blocks' | 'transposed' (one row per case)
    metadata: str = "canonical"  # 'canonical' | 'alternate' (other order, other labels)
    sheet_names: dict[str, str] = field(default_factory=dict)  # force -> sheet name
    key_sheet: bool = True
    summary_sheet: bool = True
    five_grades: bool = False  # the key lists Adequate too


# ----------------------------------------------------------------------- colours


def _argb(hex_colour: str) -> str:
    return "FF" + hex_colour.lstrip("#").upper()[-6:]


def _tint(hex_colour: str, towards_white: float = 0.6) -> str:
    r, g, b = hex_to_rgb(hex_colour)
    mix = [round(c + (255 - c) * towards_white) for c in (r, g, b)]
    return "#" + "".join(f"{c:02X}" for c in mix)


def grade_fill(grade: str | None, pale: bool = False) -> PatternFill | None:
    """The solid fill for a grade word (N/A grey); None when ungraded."""
    if grade is None:
        return None
    colour = NA_COLOUR if grade == NA else grade_by_name(grade).colour
    if pale:
        colour = _tint(colour)
    return PatternFill(fill_type="solid", start_color=_argb(colour), end_color=_argb(colour))


def grade_font(grade: str | None, pale: bool = False, bold: bool = True) -> Font:
    if grade is None or grade == NA or pale:
        return Font(bold=bold, color="FF1A1A1A")
    return Font(bold=bold, color=_argb(grade_by_name(grade).text_colour))


def grade_text(grade: str | None, style: Style) -> str | None:
    if grade is None:
        return None
    if grade == NA:
        return NA
    if style.grades == "colour":
        return None
    return grade_by_name(grade).short if style.words == "short" else grade


# ------------------------------------------------------------------------ styles

_THIN = Side(style="thin", color="FFBFBFBF")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER = PatternFill(
    fill_type="solid", start_color="FF" + HEADER_FILL, end_color="FF" + HEADER_FILL
)
SECTION = PatternFill(
    fill_type="solid", start_color=_argb(NO_DATA_COLOUR), end_color=_argb(NO_DATA_COLOUR)
)


@dataclass
class SheetLayout:
    """Where things landed on a force sheet (the template protects and validates these)."""

    title_row: int
    reviewing_cell: str
    meta_rows: dict[str, int]  # field -> row
    header_row: int
    first_question_row: int
    last_row: int
    case_columns: list[int]  # grade column of each case (feedback is the next one)
    question_rows: dict[str, int]  # question_id -> row


def sheet_title(forces: Forces, force: str, quarter: Quarter | None) -> str:
    parts = [TITLE_PREFIX, forces.full_name(force)]
    if quarter is not None:
        parts.append(quarter.label)
    return " - ".join(parts)


def write_force_sheet(
    ws: Worksheet,
    sheet: ForceSheet,
    quarter: Quarter | None,
    questions: list[Question],
    forces: Forces,
    style: Style | None = None,
) -> SheetLayout:
    """Write one force's reviews in the block layout; returns where things are."""
    style = style or Style()
    pale = style.fills == "pale"
    n_cases = max(1, len(sheet.cases))
    last_col = 2 + 2 * n_cases
    case_cols = [3 + 2 * i for i in range(n_cases)]

    ws.cell(1, 1, neutralise(sheet_title(forces, sheet.force, quarter))).font = Font(
        bold=True, size=14
    )
    ws.cell(2, 1, "Reviewing force").font = Font(bold=True)
    reviewing = forces.full_name(sheet.reviewing_force) if sheet.reviewing_force else None
    ws.cell(2, 2, neutralise(reviewing))

    order = ALTERNATE_META_ORDER if style.metadata == "alternate" else META_ORDER
    label_i = 1 if style.metadata == "alternate" else 0
    meta_rows: dict[str, int] = {}
    row = 3
    for key in order:
        meta_rows[key] = row
        c = ws.cell(row, 1, META_LABELS[key][label_i])
        c.font = Font(bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        for i, case in enumerate(sheet.cases):
            col = case_cols[i]
            value = getattr(case, key)
            cell = ws.cell(row, col, neutralise(value))
            cell.border = BORDER
            if key == "arms_completed":
                cell.number_format = "yyyy-mm-dd"
                cell.alignment = Alignment(horizontal="left")
            if key == "risk_level":
                ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + 1)
                cell.font = Font(bold=True)
                cell.alignment = CENTRE
        row += 1

    header_row = row
    headers = ["No.", "Question"] + ["Grade", "Feedback"] * n_cases
    for col, text in enumerate(headers, start=1):
        c = ws.cell(header_row, col, text)
        c.font = Font(bold=True, color="FF" + HEADER_FONT)
        c.fill = HEADER
        c.alignment = CENTRE
        c.border = BORDER

    row = header_row + 1
    first_q = row
    question_rows: dict[str, int] = {}
    current_section = None
    for q in questions:
        if q.section != current_section:
            current_section = q.section
            c = ws.cell(row, 1, neutralise(f"Section {q.section_no} - {q.section}"))
            c.font = Font(bold=True)
            c.fill = SECTION
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
            row += 1
        question_rows[q.question_id] = row
        ws.cell(row, 1, neutralise(q.question_id)).alignment = WRAP_TOP
        ws.cell(row, 2, neutralise(q.text)).alignment = WRAP_TOP
        ws.cell(row, 1).border = BORDER
        ws.cell(row, 2).border = BORDER
        for i, case in enumerate(sheet.cases):
            grade, feedback = case.answers.get(q.question_id, (None, None))
            gcell = ws.cell(row, case_cols[i], grade_text(grade, style))
            gcell.alignment = CENTRE
            gcell.border = BORDER
            if style.grades != "text" or grade == NA:
                fill = grade_fill(grade, pale)
                if fill is not None:
                    gcell.fill = fill
            gcell.font = grade_font(grade, pale)
            fcell = ws.cell(row, case_cols[i] + 1, neutralise(feedback))
            fcell.alignment = WRAP_TOP
            fcell.border = BORDER
        row += 1
    last_row = row - 1

    ws.column_dimensions["A"].width = 7
    ws.column_dimensions["B"].width = 55
    for col in case_cols:
        ws.column_dimensions[get_column_letter(col)].width = 20
        ws.column_dimensions[get_column_letter(col + 1)].width = 45
    ws.freeze_panes = f"C{header_row + 1}"
    _print_setup(ws, f"{header_row}:{header_row}")
    return SheetLayout(
        title_row=1,
        reviewing_cell="B2",
        meta_rows=meta_rows,
        header_row=header_row,
        first_question_row=min(question_rows.values(), default=first_q),
        last_row=last_row,
        case_columns=case_cols,
        question_rows=question_rows,
    )


def write_transposed_sheet(
    ws: Worksheet,
    sheet: ForceSheet,
    quarter: Quarter | None,
    questions: list[Question],
    forces: Forces,
    style: Style,
) -> None:
    """One row per case: metadata columns, then a grade and a feedback column per question."""
    pale = style.fills == "pale"
    ws.cell(1, 1, neutralise(sheet_title(forces, sheet.force, quarter))).font = Font(
        bold=True, size=14
    )
    ws.cell(2, 1, "Reviewing force").font = Font(bold=True)
    reviewing = forces.full_name(sheet.reviewing_force) if sheet.reviewing_force else None
    ws.cell(2, 2, neutralise(reviewing))
    header_row = 4
    headers = [META_LABELS[k][0] for k in META_ORDER]
    for q in questions:
        headers += [f"{q.question_id} {q.text}", "Feedback"]
    for col, text in enumerate(headers, start=1):
        c = ws.cell(header_row, col, neutralise(text))
        c.font = Font(bold=True, color="FF" + HEADER_FONT)
        c.fill = HEADER
        c.alignment = CENTRE
    for r, case in enumerate(sheet.cases, start=header_row + 1):
        for col, key in enumerate(META_ORDER, start=1):
            cell = ws.cell(r, col, neutralise(getattr(case, key)))
            if key == "arms_completed":
                cell.number_format = "yyyy-mm-dd"
        col = len(META_ORDER) + 1
        for q in questions:
            grade, feedback = case.answers.get(q.question_id, (None, None))
            g = ws.cell(r, col, grade_text(grade, style))
            if style.grades != "text" or grade == NA:
                fill = grade_fill(grade, pale)
                if fill is not None:
                    g.fill = fill
            g.font = grade_font(grade, pale)
            ws.cell(r, col + 1, neutralise(feedback)).alignment = WRAP_TOP
            col += 2
    for col in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 18 if col <= len(META_ORDER) else 24
    ws.freeze_panes = f"{get_column_letter(len(META_ORDER) + 1)}{header_row + 1}"
    _print_setup(ws, f"{header_row}:{header_row}")


def _print_setup(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows


def write_key_sheet(wb: Workbook, style: Style) -> None:
    ws = wb.create_sheet("Key")
    ws.cell(1, 1, "Key: grade colours").font = Font(bold=True, size=14)
    ws.cell(2, 1, "Grade").font = Font(bold=True)
    ws.cell(2, 2, "Meaning").font = Font(bold=True)
    row = 3
    for g in grade_scale(style.five_grades):
        c = ws.cell(row, 1, g.name)
        c.fill = grade_fill(g.name)
        c.font = grade_font(g.name)
        ws.cell(row, 2, "a failure" if g.failing else "not a failure")
        row += 1
    c = ws.cell(row, 1, NA)
    c.fill = grade_fill(NA)
    ws.cell(row, 2, "not applicable: not graded, not a failure")
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 44


def write_summary_sheet(
    wb: Workbook, sheets: list[ForceSheet], quarter: Quarter | None, style: Style
) -> None:
    ws = wb.create_sheet("Summary")
    title = f"{TITLE_PREFIX} - regional summary" + (f" - {quarter.label}" if quarter else "")
    ws.cell(1, 1, title).font = Font(bold=True, size=14)
    scale = [g.name for g in grade_scale(style.five_grades)]
    headers = ["Force under review", "Reviewing force", "Cases", "Graded answers", *scale, NA]
    for col, h in enumerate(headers, start=1):
        c = ws.cell(3, col, h)
        c.font = Font(bold=True)
    for r, s in enumerate(sheets, start=4):
        counts: dict[str | None, int] = {}
        for case in s.cases:
            for grade, _ in case.answers.values():
                counts[grade] = counts.get(grade, 0) + 1
        graded = sum(v for k, v in counts.items() if k not in (None, NA))
        values = [
            s.force,
            s.reviewing_force,
            len(s.cases),
            graded,
            *[counts.get(g, 0) for g in scale],
            counts.get(NA, 0),
        ]
        for col, v in enumerate(values, start=1):
            ws.cell(r, col, neutralise(v))
    for col in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 20


def write_regional(
    sheets: list[ForceSheet],
    quarter: Quarter | None,
    questions: list[Question],
    forces: Forces,
    style: Style | None = None,
) -> bytes:
    """The workbook as bytes: a tab per force (in ``sheets`` order), then Key and Summary."""
    style = style or Style()
    wb = Workbook()
    wb.remove(wb.active)
    for s in sheets:
        name = style.sheet_names.get(s.force, s.force)[:31]
        ws = wb.create_sheet(name)
        if style.layout == "transposed":
            write_transposed_sheet(ws, s, quarter, questions, forces, style)
        else:
            write_force_sheet(ws, s, quarter, questions, forces, style)
    if style.key_sheet:
        write_key_sheet(wb, style)
    if style.summary_sheet:
        write_summary_sheet(wb, sheets, quarter, style)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------- from the database


def quarters_with_data(cur) -> list[int]:
    return [
        r[0]
        for r in cur.execute(
            "SELECT DISTINCT quarter_idx FROM reviews WHERE active ORDER BY 1"
        ).fetchall()
    ]


def resolve_export_quarter(cur, quarter: Quarter | str | None) -> Quarter:
    """The quarter asked for (or the latest with data); ValueError when there is no data."""
    from dashboard.exports.tidy import resolve_quarter

    q = resolve_quarter(quarter)
    have = quarters_with_data(cur)
    if q is None:
        if not have:
            raise ValueError("no data: import a workbook first")
        return Quarter.from_index(have[-1])
    if q.index not in have:
        raise ValueError(f"no data for {q.label}")
    return q


def _questions_for(con, versions: list[int]) -> list[Question]:
    """The questions of the versions used, latest text winning, in display order."""
    if not versions:
        return []
    seen: dict[str, Question] = {}
    for v in sorted(versions, reverse=True):
        for q in load_questions(con, v):
            seen.setdefault(q.question_id, q)
    # the latest version's order; questions only in older versions follow in their section
    rank = {q.question_id: i for i, q in enumerate(load_questions(con, max(versions)))}
    return sorted(
        seen.values(), key=lambda q: (q.section_no, rank.get(q.question_id, 10_000 + q.ordinal))
    )


def regional_sheets(con, quarter: Quarter) -> tuple[list[ForceSheet], list[Question]]:
    """The quarter's current reviews grouped by force, in region order, with their questions."""
    from dashboard.store import load_forces

    cur = con.cursor()
    reviews = cur.execute(
        """
        SELECT review_id, force, reviewing_force, risk_level, case_id, officer, reviewer,
               arms_completed, question_set_version
        FROM reviews WHERE active AND quarter_idx = ?
        """,
        [quarter.index],
    ).fetchall()
    answers = cur.execute(
        """
        SELECT a.review_id, a.question_id, a.grade, a.feedback
        FROM answers a JOIN reviews r USING (review_id)
        WHERE r.active AND r.quarter_idx = ?
        """,
        [quarter.index],
    ).fetchall()
    by_review: dict[int, dict[str, tuple[str | None, str | None]]] = {}
    for rid, qid, grade, feedback in answers:
        by_review.setdefault(rid, {})[qid] = (grade, feedback)

    forces = load_forces(con)
    force_rank = {f: i for i, f in enumerate(forces.names)}
    risk_rank = {r: i for i, r in enumerate(RISK_LEVELS)}
    reviews.sort(
        key=lambda r: (force_rank.get(r[1], 99), r[1], risk_rank.get(r[3], 99), r[4] or "", r[0])
    )
    sheets: dict[str, ForceSheet] = {}
    for rid, force, reviewing, risk, case_id, officer, reviewer, completed, _v in reviews:
        s = sheets.setdefault(force, ForceSheet(force, reviewing))
        if s.reviewing_force is None:
            s.reviewing_force = reviewing
        s.cases.append(
            CaseColumn(risk, case_id, officer, completed, reviewer, by_review.get(rid, {}))
        )
    versions = sorted({r[8] for r in reviews})
    return list(sheets.values()), _questions_for(con, versions)


def regional_workbook_bytes(
    con, quarter: Quarter | str | None = None, style: Style | None = None
) -> bytes:
    """The collated regional workbook for ``quarter`` (default: the latest with data)."""
    from dashboard.settings import load_settings
    from dashboard.store import load_forces

    q = resolve_export_quarter(con.cursor(), quarter)
    sheets, questions = regional_sheets(con, q)
    style = style or Style(five_grades=load_settings(con).five_grades)
    return write_regional(sheets, q, questions, load_forces(con), style)


def export_regional(
    con, out: Path | str, quarter: Quarter | str | None = None, who: str = "unknown"
) -> int:
    """Write the regional workbook to ``out``; returns the number of reviews in it."""
    from dashboard.exports.tidy import audit_export

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"cannot write {out.name}: the regional workbook is an .xlsx file")
    q = resolve_export_quarter(con.cursor(), quarter)
    data = regional_workbook_bytes(con, q)
    n = (
        con.cursor()
        .execute("SELECT count(*) FROM reviews WHERE active AND quarter_idx = ?", [q.index])
        .fetchone()[0]
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    audit_export(con, who, {"kind": "regional", "file": out.name, "quarter": q.label, "reviews": n})
    return n
