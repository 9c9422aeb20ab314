"""Fixture workbooks built in code (real .xlsx bytes): the canonical regional layout, each
variation of workbooks.md, and each kind of file that must be refused.

Every builder returns ``(bytes, expected)`` where ``expected`` is the list of cases it wrote
(force, risk level, raw case reference, officer, grades and feedback per question id), so a
test can compare what the importer read with what was written.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Color, Font, PatternFill

from dashboard.exports import tidy
from dashboard.questions import ILLUSTRATIVE_FILE, Question, parse_question_file
from dashboard.vocab import GRADES_FOUR, NA, RISK_LEVELS, grade_by_name

QUESTIONS: list[Question] = parse_question_file(
    ILLUSTRATIVE_FILE.read_bytes(), ILLUSTRATIVE_FILE.name
)
FORCE_SHEETS = (
    "Cheshire",
    "Greater Manchester",
    "North Wales",
    "Lancashire",
    "Merseyside",
    "Cumbria",
)
REVIEWER_OF = {
    "Cheshire": "Merseyside",
    "Greater Manchester": "Lancashire",
    "North Wales": "Cheshire",
    "Lancashire": "Cumbria",
    "Merseyside": "North Wales",
    "Cumbria": "Greater Manchester",
}
GRADE_WORDS = [g.name for g in GRADES_FOUR]


@dataclass
class Case:
    force: str
    risk_level: str | None
    case_ref: str | None
    officer: str | None
    reviewer: str | None
    arms_completed: dt.date | None
    grades: dict[str, str | None] = field(
        default_factory=dict
    )  # question_id -> grade word / N/A / None
    feedback: dict[str, str | None] = field(default_factory=dict)


def make_cases(
    force: str, n: int = 4, seed: int = 1, questions: list[Question] | None = None
) -> list[Case]:
    rnd = random.Random(f"{force}-{seed}")
    qs = questions or QUESTIONS
    out = []
    for i in range(n):
        risk = RISK_LEVELS[i % 4]
        ref = f"{rnd.randint(10, 24)}/{rnd.randint(100000, 9999999):07d}{rnd.choice('ABCDEFGHJK')}"
        case = Case(
            force,
            risk,
            ref,
            f"DC {rnd.randint(1000, 9999)} {rnd.choice(['Hart', 'Shah', 'Jones', 'Price'])}",
            f"DS {rnd.choice(['Okafor', 'Byrne', 'Lees'])}",
            dt.date(2024, 5, 1 + i),
        )
        for q in qs:
            g = rnd.choices(GRADE_WORDS + [NA], weights=[1, 5, 3, 1, 0.3])[0]
            case.grades[q.question_id] = g
            case.feedback[q.question_id] = (
                f"{force} case {i + 1} on {q.question_id}: {rnd.choice(['clear', 'thin', 'well evidenced', 'missing dates'])}."
            )
        out.append(case)
    return out


def fill(hex6: str) -> PatternFill:
    return PatternFill("solid", fgColor="FF" + hex6.lstrip("#").upper())


def grade_fill(grade: str | None) -> PatternFill | None:
    if grade is None or grade == NA:
        return None
    return fill(grade_by_name(grade).colour)


def to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


META_DEFAULT = (
    ("Risk level", "risk_level"),
    ("Case reference", "case_ref"),
    ("Offender manager", "officer"),
    ("ARMS completed", "arms_completed"),
    ("Reviewer", "reviewer"),
)


@dataclass
class Blocks:
    """Knobs for the blocks layout; the defaults are the canonical layout of workbooks.md."""

    quarter_title: str | None = "2024/25 Q2"
    title: bool = True
    sheet_names: dict[str, str] | None = None  # force -> sheet name
    meta: tuple[tuple[str, str], ...] = META_DEFAULT  # (label, Case attribute)
    reviewing_label: str | None = "Reviewing force"
    grade_mode: str = "both"  # text | colour | both | colour_comment | colour_note
    grade_text: object = None  # callable(grade word) -> what is typed
    shade: object = None  # callable(grade word) -> PatternFill
    question_text: object = None  # callable(Question) -> text shown
    number_col: bool = True
    top_blank_rows: int = 0
    left_blank_cols: int = 0
    blank_row_every: int = 0  # a blank row after every n questions
    merged_sections: bool = True
    notes_col: bool = False
    extra_sheets: tuple[str, ...] = ()
    hidden_sheets: tuple[str, ...] = ()
    merge_meta: bool = True
    header: bool = True


def build_blocks(
    cases_by_force: dict[str, list[Case]],
    spec: Blocks | None = None,
    questions: list[Question] | None = None,
) -> bytes:
    s = spec or Blocks()
    qs = questions or QUESTIONS
    wb = Workbook()
    wb.remove(wb.active)
    for name in s.extra_sheets:
        ws = wb.create_sheet(name)
        ws["A1"] = f"{name}: not a force"
        ws["A2"] = "Outstanding"
        ws["A2"].fill = fill("FFE600")
    for name in s.hidden_sheets:
        ws = wb.create_sheet(name)
        ws.sheet_state = "hidden"
        ws["A1"] = "Lists"
        ws["A2"] = "Good"
    for force, cases in cases_by_force.items():
        name = (s.sheet_names or {}).get(force, force)
        ws = wb.create_sheet(name)
        _write_blocks_sheet(ws, force, cases, s, qs)
    return to_bytes(wb)


def _write_blocks_sheet(ws, force: str, cases: list[Case], s: Blocks, qs: list[Question]) -> None:
    c0 = 1 + s.left_blank_cols
    r = 1 + s.top_blank_rows
    ncol = c0 if s.number_col else None
    qcol = c0 + 1 if s.number_col else c0
    first_g = qcol + 1
    width = 2
    if s.title:
        t = f"ARMS peer review - {force}" + (f" - {s.quarter_title}" if s.quarter_title else "")
        ws.cell(r, c0, t).font = Font(bold=True)
        r += 1
    if s.reviewing_label:
        ws.cell(r, c0, s.reviewing_label)
        ws.cell(r, first_g, REVIEWER_OF.get(force, "Merseyside") + " Police")
        r += 1
    for label, attr in s.meta:
        ws.cell(r, c0, label)
        for i, case in enumerate(cases):
            col = first_g + i * width
            v = getattr(case, attr)
            if v is not None:
                ws.cell(r, col, v)
            if s.merge_meta:
                ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + 1)
        r += 1
    if s.header:
        if ncol:
            ws.cell(r, ncol, "No.")
        ws.cell(r, qcol, "Question")
        for i in range(len(cases)):
            ws.cell(r, first_g + i * width, "Grade")
            ws.cell(r, first_g + i * width + 1, "Feedback")
        if s.notes_col:
            ws.cell(r, first_g + len(cases) * width, "Notes")
        r += 1
    last_col = first_g + len(cases) * width - 1 + (1 if s.notes_col else 0)
    section = None
    for n, q in enumerate(qs):
        if q.section != section:
            section = q.section
            ws.cell(r, c0, f"Section {q.section_no} - {q.section}").font = Font(bold=True)
            if s.merged_sections:
                ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=last_col)
            r += 1
        if ncol:
            ws.cell(r, ncol, q.question_id)
        ws.cell(r, qcol, s.question_text(q) if s.question_text else q.text)
        for i, case in enumerate(cases):
            g = case.grades.get(q.question_id)
            gc = ws.cell(r, first_g + i * width)
            mode = s.grade_mode
            typed = s.grade_text(g) if (s.grade_text and g is not None) else g
            if g is not None and (mode in ("text", "both") or g == NA):
                gc.value = typed
            if (
                g is not None
                and g != NA
                and mode in ("colour", "both", "colour_comment", "colour_note")
            ):
                f = s.shade(g) if s.shade else grade_fill(g)
                if f is not None:
                    gc.fill = f
                if mode == "colour_comment":
                    gc.value = "see feedback"
                if mode == "colour_note":
                    gc.comment = Comment("Reviewer note on this grade", "DS Okafor")
            fb = case.feedback.get(q.question_id)
            if fb is not None:
                ws.cell(r, first_g + i * width + 1, fb)
        if s.notes_col:
            ws.cell(r, last_col, "coordinator: chased 3/6")
        r += 1
        if s.blank_row_every and (n + 1) % s.blank_row_every == 0:
            r += 1


def canonical(n_forces: int = 6, n_cases: int = 4, seed: int = 1, spec: Blocks | None = None):
    cases = {f: make_cases(f, n_cases, seed) for f in FORCE_SHEETS[:n_forces]}
    return build_blocks(cases, spec), cases


# ---------------------------------------------------------------- other layouts


def build_transposed(
    cases_by_force: dict[str, list[Case]],
    feedback_cols: bool = True,
    quarter_title: str = "2024/25 Q2",
) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for force, cases in cases_by_force.items():
        ws = wb.create_sheet(force)
        ws["A1"] = f"{force} ARMS peer reviews {quarter_title}"
        ws["A2"] = "Reviewing force"
        ws["B2"] = REVIEWER_OF[force]
        header = ["Risk level", "Case ref", "OM", "Reviewer"]
        for q in QUESTIONS:
            header.append(f"{q.question_id} {q.text}")
            if feedback_cols:
                header.append("Feedback")
        for c, h in enumerate(header, start=1):
            ws.cell(4, c, h)
        for i, case in enumerate(cases):
            r = 5 + i
            for c, v in enumerate(
                [case.risk_level, case.case_ref, case.officer, case.reviewer], start=1
            ):
                ws.cell(r, c, v)
            c = 5
            for q in QUESTIONS:
                g = case.grades[q.question_id]
                cell = ws.cell(r, c, g)
                if grade_fill(g):
                    cell.fill = grade_fill(g)
                c += 1
                if feedback_cols:
                    ws.cell(r, c, case.feedback[q.question_id])
                    c += 1
    return to_bytes(wb)


def build_single(case: Case, sheet: str = "Review", quarter: str = "Q2 2024/25") -> bytes:
    """A single review return: metadata as label | value, then question | grade | feedback."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = f"ARMS peer review return - {case.force} - {quarter}"
    rows = [
        ("Force", case.force),
        ("Reviewing force", REVIEWER_OF[case.force]),
        ("RSO risk level", case.risk_level),
        ("ViSOR ref", case.case_ref),
        ("OM", case.officer),
        ("Reviewed by", case.reviewer),
        ("Date of ARMS", case.arms_completed),
    ]
    r = 3
    for label, v in rows:
        ws.cell(r, 1, label)
        ws.cell(r, 2, v)
        r += 1
    r += 1
    ws.cell(r, 1, "Question")
    ws.cell(r, 2, "Grade")
    ws.cell(r, 3, "Feedback")
    for q in QUESTIONS:
        r += 1
        ws.cell(r, 1, q.text)
        g = case.grades[q.question_id]
        ws.cell(r, 2, g)
        ws.cell(r, 3, case.feedback[q.question_id])
    return to_bytes(wb)


# the contract's tidy columns, as the product exports them (tests/exports/test_tidy.py pins the contract)
TIDY_COLUMNS = list(tidy.TIDY_COLUMNS)


def build_tidy(rows: list[dict], sheet: str = "tidy") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(TIDY_COLUMNS)
    for row in rows:
        ws.append([row.get(c) for c in TIDY_COLUMNS])
    return to_bytes(wb)


# ---------------------------------------------------------------- refusals


def legacy_xls() -> bytes:
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + b"Workbook".ljust(64, b"\x00")


def encrypted_xlsx() -> bytes:
    # an encrypted OOXML file is an OLE container with these stream names
    return (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 40
        + "EncryptedPackage".encode("utf-16-le")
    )


def csv_renamed() -> bytes:
    return b"force,question,grade\nCheshire,1.1,Good\n"


def truncated() -> bytes:
    data, _ = canonical(n_forces=1)
    return data[: len(data) // 2]


def with_members(
    extra: dict[str, bytes], base: bytes | None = None, content_types: bytes | None = None
) -> bytes:
    """A copy of a workbook zip with members added or replaced."""
    src = base or canonical(n_forces=1)[0]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(src)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            if item.filename in extra:
                continue
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml" and content_types is not None:
                data = content_types
            zout.writestr(item, data)
        for name, data in extra.items():
            zout.writestr(name, data)
    return out.getvalue()


def macro_workbook() -> bytes:
    return with_members({"xl/vbaProject.bin": b"\x00" * 100})


def zip_bomb(size_mb: int = 300) -> bytes:
    return with_members({"xl/media/padding.bin": b"\x00" * (size_mb * 1_000_000)})


def huge_dimension() -> bytes:
    base = canonical(n_forces=1)[0]
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    import re

    sheet = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
    assert b"XFD1048576" in sheet
    return with_members({"xl/worksheets/sheet1.xml": sheet}, base)


def no_force_sheets() -> bytes:
    wb = Workbook()
    wb.active.title = "Summary"
    wb.active["A1"] = "Totals"
    wb.create_sheet("Key")["A1"] = "Outstanding = yellow"
    return to_bytes(wb)


def theme_fill(theme: int, tint: float = 0.0) -> PatternFill:
    return PatternFill("solid", fgColor=Color(theme=theme, tint=tint))


def indexed_fill(index: int) -> PatternFill:
    return PatternFill("solid", fgColor=Color(indexed=index))
