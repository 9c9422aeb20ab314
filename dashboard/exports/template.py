"""The blank review template: the regional layout, empty, ready for a reviewer.

Same writer as the collated workbook (so a filled-in template imports like any return),
plus what keeps returns clean: grade drop-downs from the active grade scale (with N/A),
a reviewing-force and risk-level drop-down, question text locked (sheet protection with
the input cells unlocked, no password: it prevents accidents, not edits), conditional
colours on the grade cells for the reviewer's eye, and an Instructions sheet.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard.exports.regional import (
    CaseColumn,
    ForceSheet,
    Style,
    _argb,
    grade_fill,
    grade_font,
    write_force_sheet,
)
from dashboard.questions import load_questions
from dashboard.vocab import NA, NA_COLOUR, RISK_LEVELS, Forces, Quarter, grade_by_name, grade_scale

UNLOCKED = Protection(locked=False)


def default_template_quarter(cur, today: dt.date | None = None) -> Quarter:
    """The quarter after the latest with data; with no data, the current quarter."""
    row = cur.execute("SELECT max(quarter_idx) FROM reviews WHERE active").fetchone()
    if row and row[0] is not None:
        return Quarter.from_index(row[0] + 1)
    return Quarter.containing(today or dt.date.today())


def _list_validation(values: list[str], title: str, error: str) -> DataValidation:
    """A drop-down of ``values`` that refuses anything else, with a message a reviewer reads."""
    return DataValidation(
        type="list",
        formula1=_list_formula(values),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=error,
    )


def _list_formula(items: list[str]) -> str:
    text = ",".join(items)
    if len(text) > 250:  # Excel's limit for an inline list
        raise ValueError("the drop-down list is too long for an inline list")
    return f'"{text}"'


def _instructions(wb: Workbook, quarter: Quarter, grades: list[str], forces: list[str]) -> None:
    ws = wb.create_sheet("Instructions", 0)
    lines = [
        (f"ARMS peer review template - {quarter.label}", Font(bold=True, size=14)),
        ("", None),
        ("How to fill in this template", Font(bold=True)),
        (
            "1. Each force tab holds four cases, one per risk level (Low, Medium, High, Very high).",
            None,
        ),
        ("2. Choose your force in 'Reviewing force' at the top of each tab.", None),
        (
            "3. For each case fill in the case reference, offender manager, the date the ARMS was "
            "completed (yyyy-mm-dd) and your name as reviewer.",
            None,
        ),
        (
            "4. Grade every question from the drop-down and write your feedback beside it. Use N/A "
            "only when a question does not apply to the case.",
            None,
        ),
        ("5. The grade text is what counts: the cell colour follows it automatically.", None),
        (
            "6. Do not put names, dates of birth or PNC/ViSOR references in the feedback: the case "
            "reference belongs in its own row (it is replaced by a pseudonym when imported) and "
            "anything that looks like an identifier in the feedback is removed on import.",
            None,
        ),
        (
            "7. The question text is locked so the rows stay in step with the question set. "
            "Save as .xlsx and send the file back to the coordinator.",
            None,
        ),
        ("", None),
        ("Grades", Font(bold=True)),
    ]
    for r, (text, font) in enumerate(lines, start=1):
        c = ws.cell(r, 1, text)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if font is not None:
            c.font = font
    r = len(lines) + 1
    for g in grades:
        c = ws.cell(r, 1, g)
        c.fill = grade_fill(g)
        c.font = grade_font(g)
        failing = g != NA and grade_by_name(g).failing
        ws.cell(
            r,
            2,
            "not graded, not a failure"
            if g == NA
            else ("a failure" if failing else "not a failure"),
        )
        r += 1
    ws.cell(r + 1, 1, "Forces").font = Font(bold=True)
    ws.cell(r + 2, 1, ", ".join(forces)).alignment = Alignment(wrap_text=True)
    ws.column_dimensions["A"].width = 100
    ws.column_dimensions["B"].width = 30


def template_workbook(
    questions, quarter: Quarter, forces: Forces, force_names: list[str], five_grades: bool = False
) -> bytes:
    """The template as bytes, for ``force_names`` (one tab each)."""
    grades = [g.name for g in grade_scale(five_grades)] + [NA]
    wb = Workbook()
    wb.remove(wb.active)
    _instructions(wb, quarter, grades, [forces.full_name(f) for f in forces.names])
    style = Style(key_sheet=False, summary_sheet=False, five_grades=five_grades)
    for force in force_names:
        ws = wb.create_sheet(force[:31])
        sheet = ForceSheet(
            force, None, [CaseColumn(r, None, None, None, None) for r in RISK_LEVELS]
        )
        lay = write_force_sheet(ws, sheet, quarter, questions, forces, style)

        # inputs: reviewing force, metadata values, grades and feedback
        others = [forces.full_name(f) for f in forces.names if f != force]
        dv_force = _list_validation(
            others, "Reviewing force", "Choose the reviewing force from the list."
        )
        dv_risk = _list_validation(
            list(RISK_LEVELS), "Risk level", "Choose Low, Medium, High or Very high."
        )
        dv_grade = _list_validation(
            grades, "Grade", "Choose a grade from the list (N/A if not applicable)."
        )
        dv_date = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="36526",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Date",
            error="Enter the date the ARMS was completed, e.g. 2024-05-14.",
        )
        for dv in (dv_force, dv_risk, dv_grade, dv_date):
            ws.add_data_validation(dv)
        ws[lay.reviewing_cell].protection = UNLOCKED
        ws[lay.reviewing_cell].fill = _input_fill()
        dv_force.add(lay.reviewing_cell)
        for key, row in lay.meta_rows.items():
            for col in lay.case_columns:
                cell = ws.cell(row, col)
                cell.protection = UNLOCKED
                if key == "risk_level":
                    dv_risk.add(cell.coordinate)
                elif key == "arms_completed":
                    dv_date.add(cell.coordinate)
        first, last = lay.first_question_row, lay.last_row
        for col in lay.case_columns:
            gl = get_column_letter(col)
            grade_range = f"{gl}{first}:{gl}{last}"
            dv_grade.add(grade_range)
            for row in lay.question_rows.values():
                ws.cell(row, col).protection = UNLOCKED
                ws.cell(row, col + 1).protection = UNLOCKED
            for g in grades:
                colour = NA_COLOUR if g == NA else grade_by_name(g).colour
                ws.conditional_formatting.add(
                    grade_range,
                    CellIsRule(
                        operator="equal",
                        formula=[f'"{g}"'],
                        fill=PatternFill(
                            start_color=_argb(colour), end_color=_argb(colour), fill_type="solid"
                        ),
                        font=grade_font(g),
                    ),
                )
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # reviewers may widen columns and rows
        ws.protection.formatRows = False
        ws.protection.selectLockedCells = False
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _input_fill() -> PatternFill:
    # a pale blue: marks a cell to fill in, and is never read as a grade (hue ~210)
    return PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")


def template_bytes(con, quarter: Quarter | str | None = None, force: str | None = None) -> bytes:
    """The blank template for ``quarter`` (default: the next one) and one force (default: all)."""
    from dashboard.exports.tidy import resolve_quarter
    from dashboard.settings import load_settings
    from dashboard.store import load_forces

    forces = load_forces(con)
    q = resolve_quarter(quarter) or default_template_quarter(con.cursor())
    if force:
        name = forces.match(force)
        if name is None:
            raise ValueError(f"unknown force {force!r}: one of {', '.join(forces.names)}")
        names = [name]
    else:
        names = list(forces.names)
    return template_workbook(load_questions(con), q, forces, names, load_settings(con).five_grades)


def export_template(
    con,
    out: Path | str,
    quarter: Quarter | str | None = None,
    force: str | None = None,
    who: str = "unknown",
) -> Path:
    """Write the blank template to ``out`` (.xlsx)."""
    from dashboard.exports.tidy import audit_export, resolve_quarter

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"cannot write {out.name}: the template is an .xlsx file")
    q = resolve_quarter(quarter) or default_template_quarter(con.cursor())
    data = template_bytes(con, q, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    audit_export(
        con, who, {"kind": "template", "file": out.name, "quarter": q.label, "force": force}
    )
    return out


__all__ = ["default_template_quarter", "export_template", "template_bytes", "template_workbook"]
