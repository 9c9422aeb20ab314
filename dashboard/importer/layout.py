"""Layout detection: where the cases, questions, grades and feedback are on a sheet.

Four layouts, all found by labels and by the question set, never by fixed positions:

- ``blocks`` (the canonical regional layout): metadata rows above a header row, then one
  row per question; each case is a Grade column with its Feedback column beside it.
- ``single``: the same with one case (a single review return), metadata often as
  ``label | value`` beside the label.
- ``transposed``: one row per case; metadata columns, then a grade column per question,
  optionally followed by a feedback column.
- ``tidy``: the product's own tidy export, one row per answer.

Each detector returns a ``SheetResult`` of raw cases (raw case references are still here:
the reader pseudonymises them and redacts feedback before anything leaves the importer).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from dashboard.importer.cells import SheetGrid, cell_ref, col_letter
from dashboard.importer.labels import (
    NUMBER_LABELS,
    is_feedback_label,
    is_grade_label,
    is_notes_label,
    is_question_label,
    meta_key,
    norm_label,
    split_label_value,
)
from dashboard.importer.matching import QuestionMatcher
from dashboard.importer.model import AnswerRecord, Issue, QuestionMatch, UnmatchedRow
from dashboard.vocab import NA, parse_grade, parse_quarter, parse_risk_level

STRONG = 0.75
SHEET_KEYS = (
    "reviewing_force",
    "quarter",
    "force",
)  # one value for the whole sheet, usually  # a text this close to a question marks a question row / column


@dataclass
class RawCase:
    meta: dict[str, object] = field(default_factory=dict)  # raw values by meta key
    cells: dict[str, str] = field(default_factory=dict)  # meta key -> cell where it was read
    source_ref: str = ""
    answers: list[AnswerRecord] = field(default_factory=list)
    anchor: str = ""  # where to point a person at this case (first grade cell)


@dataclass
class SheetResult:
    layout: str
    cases: list[RawCase] = field(default_factory=list)
    unmatched: list[UnmatchedRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    matches: list[QuestionMatch] = field(default_factory=list)
    cells_read: int = 0
    sheet_meta: dict[str, object] = field(default_factory=dict)  # sheet-wide: reviewing force ...
    titles: list[str] = field(default_factory=list)  # free text above the table (title lines)


@dataclass
class Context:
    matcher: QuestionMatcher
    five: bool = False
    min_conf: float = 0.6
    low_conf: float = 0.9


# --------------------------------------------------------------------------- grades


def read_grade(
    grid: SheetGrid, r: int, c: int, feedback: str | None, ctx: Context, issues: list[Issue]
) -> tuple[str | None, str | None, str | None]:
    """(grade, grade_source, feedback) for the grade cell at (r, c).

    Text wins over colour; a disagreement is a warning naming the cell. Text in the grade
    cell that is not a grade, and an Excel note on it, are kept with the feedback.
    """
    ref = cell_ref(r, c)
    value = grid.value(r, c)
    colour = grid.colour_grades.get((r, c))
    text_grade = parse_grade(value, ctx.five) if value is not None else None
    extra: list[str] = []
    if text_grade is None and isinstance(value, str):
        # 'Requires improvement - no dates on the actions': a grade, then a comment
        head = _LEAD.split(value, maxsplit=1)[0].strip()
        if head and head != value.strip() and len(head.split()) <= 3:
            text_grade = parse_grade(head, ctx.five)
            if text_grade is not None:
                extra.append(value.strip())
    if text_grade is not None and colour is not None:
        if text_grade == colour:
            grade, source = text_grade, "both"
        else:
            grade, source = text_grade, "text"
            issues.append(
                Issue(
                    "grade-conflict",
                    f"grade text {_short(value)!r} and the cell colour ({colour}) disagree: the text is used",
                    grid.title,
                    ref,
                )
            )
    elif text_grade is not None:
        grade, source = text_grade, "text"
    elif colour is not None:
        grade, source = colour, "colour"
        if value is not None:
            extra.append(grid.text(r, c))
    else:
        grade, source = None, None
        if value is not None:
            extra.append(grid.text(r, c))
            issues.append(
                Issue(
                    "grade-not-understood",
                    f"{_short(value)!r} is not a grade and the cell has no grade colour: kept as ungraded",
                    grid.title,
                    ref,
                )
            )
    note = grid.notes.get((r, c))
    if note:
        extra.append(note)
    parts = [p for p in [feedback, *extra] if p]
    merged: list[str] = []
    for p in parts:
        if p not in merged:
            merged.append(p)
    return grade, source, "\n".join(merged) if merged else None


_LEAD = re.compile(r"\s[-\u2013\u2014]\s|[,:;.(\n]")


def _short(value: object, n: int = 40) -> str:
    s = str(value).strip()
    return s if len(s) <= n else s[: n - 1] + "\u2026"


def _has_content(grid: SheetGrid, r: int, c: int) -> bool:
    return grid.value(r, c) is not None or (r, c) in grid.colour_grades or (r, c) in grid.notes


def _to_feedback(grid: SheetGrid, r: int, c: int | None) -> str | None:
    if c is None:
        return None
    t = grid.text(r, c)
    return t or None


# --------------------------------------------------------------------------- detection


def detect(grid: SheetGrid, ctx: Context) -> SheetResult | None:
    """The layout of a sheet and its cases, or None when nothing review-like is on it."""
    if not grid.values and not grid.colour_grades:
        return None
    tidy = _tidy_header(grid)
    if tidy is not None:
        return read_tidy(grid, ctx, *tidy)
    header_row, qcol, ncol, gcols = _block_header(grid, ctx)
    if qcol is None:
        trow = _transposed_header(grid, ctx)
        if trow is not None:
            return read_transposed(grid, ctx, trow)
        return None
    return read_blocks(grid, ctx, header_row, qcol, ncol, gcols)


def _tidy_header(grid: SheetGrid) -> tuple[int, dict[str, int]] | None:
    for r in grid.rows_with_values()[:10]:
        cols = {}
        for c, v in grid.row_cells(r):
            if isinstance(v, str):
                cols.setdefault(norm_label(v).replace(" ", "_"), c)
        if all(k in cols for k in ("question_id", "grade")) and (
            "force" in cols or "case_id" in cols
        ):
            return r, cols
    return None


def _question_score(grid: SheetGrid, ctx: Context, r: int, c: int) -> float:
    v = grid.value(r, c)
    if not isinstance(v, str) or len(v) < 8 or len(v) > 400:
        return 0.0
    m = ctx.matcher.match(v)
    return m.confidence if m else 0.0


def _block_header(grid: SheetGrid, ctx: Context):
    """(header_row, question_col, number_col, grade_cols) for the blocks layout.

    A header row carries Grade labels; the question column is labelled, or is the column
    whose cells below match the question set best.
    """
    rows = grid.rows_with_values()
    header_row = qcol = ncol = None
    gcols: list[int] = []
    for r in rows[:60]:
        cells = grid.row_cells(r)
        labels = {c: norm_label(v) for c, v in cells if isinstance(v, str)}
        grades = [c for c, lab in labels.items() if is_grade_label(lab)]
        questions = [c for c, lab in labels.items() if is_question_label(lab)]
        if grades and (questions or len(grades) >= 1):
            header_row = r
            gcols = sorted(grades)
            if questions:
                qcol = min(questions)
            nums = [
                c
                for c, lab in labels.items()
                if lab in NUMBER_LABELS and (qcol is None or c < qcol)
            ]
            ncol = max(nums) if nums else None
            break
    # the question column by content: the column (left of the grades) that matches best
    below = [r for r in rows if header_row is None or r > header_row]
    if qcol is None:
        limit = min(gcols) if gcols else grid.max_col + 1
        best = (0, None)
        for c in range(1, min(limit, 8)):
            hits = 0
            for r in below[:80]:
                if _question_score(grid, ctx, r, c) >= STRONG:
                    hits += 1
                    if hits >= 6:
                        break
            if hits > best[0]:
                best = (hits, c)
        if best[0] >= 2 or (best[0] >= 1 and header_row is not None):
            qcol = best[1]
    if qcol is None:
        return None, None, None, []
    qrows = [r for r in below if _question_score(grid, ctx, r, qcol) >= STRONG]
    if header_row is None:
        # no header: the row above the first question row ends the metadata
        header_row = (qrows[0] - 1) if qrows else 0
    if not gcols:
        gcols = _grade_cols_by_content(grid, ctx, qcol, qrows)
    gcols = [c for c in gcols if c > qcol]
    if ncol is None and qcol > 1:
        # a number column: just left of the question column, holding numbers like 1.1
        c = qcol - 1
        numbered = sum(1 for r in qrows if grid.value(r, c) is not None)
        if qrows and numbered >= len(qrows) / 2:
            ncol = c
    if not gcols:
        return None, None, None, []
    return header_row, qcol, ncol, gcols


def _grade_cols_by_content(grid: SheetGrid, ctx: Context, qcol: int, qrows: list[int]) -> list[int]:
    if not qrows:
        return []
    out = []
    for c in range(qcol + 1, grid.max_col + 1):
        graded = 0
        for r in qrows:
            v = grid.value(r, c)
            if (r, c) in grid.colour_grades or (
                v is not None and parse_grade(v, ctx.five) is not None
            ):
                graded += 1
        if graded >= max(1, 0.3 * len(qrows)):
            out.append(c)
    # two adjacent "grade" columns (e.g. a score next to its word): keep the first
    return [c for i, c in enumerate(out) if i == 0 or out[i - 1] != c - 1]


def _transposed_header(grid: SheetGrid, ctx: Context) -> int | None:
    for r in grid.rows_with_values()[:30]:
        hits = 0
        for c, v in grid.row_cells(r):
            if isinstance(v, str) and _question_score(grid, ctx, r, c) >= STRONG:
                hits += 1
                if hits >= 3:
                    return r
    return None


# --------------------------------------------------------------------------- blocks


def _header_label(grid: SheetGrid, header_row: int, c: int) -> str:
    return norm_label(grid.value(header_row, c)) if header_row else ""


def read_blocks(
    grid: SheetGrid, ctx: Context, header_row: int, qcol: int, ncol: int | None, gcols: list[int]
) -> SheetResult:
    res = SheetResult(layout="blocks" if len(gcols) > 1 else "single")
    # the columns of each case: its grade column, its feedback column, up to the next case
    bounds = []
    for i, g in enumerate(gcols):
        end = gcols[i + 1] if i + 1 < len(gcols) else None
        fb = None
        stop = end if end is not None else g + 4
        for c in range(g + 1, stop):
            lab = _header_label(grid, header_row, c)
            if is_notes_label(lab) or is_grade_label(lab):
                break
            if is_feedback_label(lab):
                fb = c
                break
            if (
                not lab
                and fb is None
                and any(
                    grid.value(r, c) is not None for r in range(header_row + 1, grid.max_row + 1)
                )
            ):
                fb = c
                break
        if end is None:
            end = (fb or g) + 1
        bounds.append((g, fb, end))

    # ------------------------------------------------------------- metadata above
    metas: list[dict[str, object]] = [dict() for _ in gcols]
    meta_cells: list[dict[str, str]] = [dict() for _ in gcols]
    first_g = gcols[0]
    for r in range(1, header_row):
        cells = [(c, v) for c, v in grid.row_cells(r)]
        if not cells:
            continue
        label_key = None
        label_col = None
        for c, v in cells:
            if c >= first_g:
                break
            if isinstance(v, str):
                key = meta_key(v)
                if key:
                    label_key, label_col = key, c
                    break
                lv = split_label_value(v)
                if lv:
                    res.sheet_meta.setdefault(lv[0], lv[1])
                    label_key = "consumed"
                    break
        if label_key is None and _risk_row(grid, r, bounds):
            label_key, label_col = "risk_level", 0  # risk levels over the cases, unlabelled
        if label_key is None:
            # a free line: the title, or 'Label: value' anywhere
            for _c, v in cells:
                lv = split_label_value(v)
                if lv:
                    res.sheet_meta.setdefault(lv[0], lv[1])
                elif isinstance(v, str):
                    res.titles.append(v)
            continue
        if label_key == "consumed":
            continue
        if label_key in SHEET_KEYS:
            vals = [(c, v) for c, v in cells if c > label_col and v is not None]
            distinct = {str(v) for _c, v in vals}
            if len(distinct) == 1:
                res.sheet_meta.setdefault(label_key, vals[0][1])
                res.sheet_meta.setdefault(f"{label_key}@", cell_ref(r, vals[0][0]))
                continue
        found_any = False
        for i, (g, _fb, end) in enumerate(bounds):
            for c in range(g, end):
                v = grid.value(r, c)
                if v is None and (r, c) in grid.covered:
                    continue
                if v is not None:
                    metas[i].setdefault(label_key, v)
                    meta_cells[i].setdefault(label_key, cell_ref(r, c))
                    found_any = True
                    break
            meta_cells[i].setdefault(label_key, cell_ref(r, g))  # where it was looked for
        if not found_any:
            # 'label | value' beside the label: one value for the sheet
            for c, v in cells:
                if c > label_col and v is not None:
                    res.sheet_meta.setdefault(label_key, v)
                    res.sheet_meta.setdefault(f"{label_key}@", cell_ref(r, c))
                    break
    # the header row itself may carry risk levels over the case columns
    header_vals = (
        [
            next(
                (
                    grid.value(header_row, c)
                    for c in range(g, end)
                    if grid.value(header_row, c) is not None
                ),
                None,
            )
            for g, _fb, end in bounds
        ]
        if header_row
        else [None] * len(bounds)
    )

    # ------------------------------------------------------------- question rows
    answers: list[list[AnswerRecord]] = [[] for _ in gcols]
    unmatched: list[list[UnmatchedRow]] = [[] for _ in gcols]
    seen_q: list[dict[str, str]] = [dict() for _ in gcols]
    rows = [r for r in range(header_row + 1, grid.max_row + 1)]
    question_rows: list[tuple[int, str | None, float, str]] = []  # (row, qid or None, conf, text)
    for r in rows:
        qtext = grid.text(r, qcol)
        top = grid.covered.get((r, qcol))
        section_like = False
        if top is not None or grid.merge_width(r, qcol) > 1:
            section_like = True  # a merged section heading
        if not qtext:
            # the text may sit in a merge starting further left (section rows)
            left = [grid.text(r, c) for c in range(1, qcol)]
            if any(grid.merge_width(r, c) > 1 for c in range(1, qcol)):
                section_like = True
            has_grade = (
                any(
                    grid.value(r, g) is not None or (r, g) in grid.colour_grades
                    for g, _fb, _e in bounds
                )
                and not section_like
            )
            if has_grade:
                question_rows.append((r, None, 0.0, next((t for t in left if t), "")))
            continue
        num = grid.text(r, ncol) if ncol else None
        m = ctx.matcher.match(qtext, num)
        any_content = any(
            _has_content(grid, r, g) or (fb is not None and grid.value(r, fb) is not None)
            for g, fb, _e in bounds
        )
        if section_like and not any(grid.value(r, g) is not None for g, _fb, _e in bounds):
            continue
        if m is not None and m.confidence >= ctx.min_conf:
            question_rows.append((r, m.question_id, m.confidence, qtext))
        elif any_content:
            question_rows.append((r, None, m.confidence if m else 0.0, qtext))
        # else: a heading or note line without grades: not an answer

    # which case columns hold a case at all
    live = []
    for i, (g, fb, _end) in enumerate(bounds):
        # a pre-filled risk level alone (a blank template) does not make a case
        has = any(k != "risk_level" for k in metas[i]) or any(
            _has_content(grid, r, g) or (fb is not None and grid.value(r, fb) is not None)
            for r, *_ in question_rows
        )
        live.append(has)

    for r, qid, conf, qtext in question_rows:
        for i, (g, fb, _end) in enumerate(bounds):
            if not live[i]:
                continue
            res.cells_read += 1
            grade, source, feedback = read_grade(
                grid, r, g, _to_feedback(grid, r, fb), ctx, res.issues
            )
            ref = cell_ref(r, g)
            if qid is not None and qid in seen_q[i]:
                res.issues.append(
                    Issue(
                        "duplicate-question",
                        f"question {qid} appears again (first at {seen_q[i][qid]}): kept for review, not imported",
                        grid.title,
                        ref,
                    )
                )
                qid = None
            if qid is None:
                unmatched[i].append(
                    UnmatchedRow(grid.title, ref, qtext or "(no question text)", grade, feedback, i)
                )
                continue
            seen_q[i][qid] = ref
            answers[i].append(AnswerRecord(qid, grade, source, feedback, ref, conf))
        if qid is not None and conf < ctx.low_conf:
            res.matches.append(QuestionMatch(grid.title, cell_ref(r, qcol), qtext, qid, conf))
        elif qid is None and qtext:
            res.issues.append(
                Issue(
                    "unmatched-question",
                    f"{_short(qtext, 60)!r} matches no question in the set: kept for review",
                    grid.title,
                    cell_ref(r, qcol),
                )
            )

    for i, (g, fb, end) in enumerate(bounds):
        if not live[i]:
            continue
        case = RawCase(meta=metas[i], cells=meta_cells[i], answers=answers[i])
        last = (fb or g) if end is None else max(g, end - 1)
        case.source_ref = (
            f"columns {col_letter(g)}:{col_letter(last)}" if last > g else f"column {col_letter(g)}"
        )
        case.anchor = cell_ref(header_row or 1, g)
        if "risk_level" not in case.meta and header_vals[i] is not None:
            case.meta["_header"] = header_vals[i]
        if len(gcols) == 1:
            for k, v in res.sheet_meta.items():
                if k in ("reviewing_force", "quarter", "force") or k.endswith("@"):
                    continue
                case.meta.setdefault(k, v)
                case.cells.setdefault(k, str(res.sheet_meta.get(f"{k}@", "")))
        res.cases.append(case)
        res.unmatched.extend(unmatched[i])
    return res


def _risk_row(grid: SheetGrid, r: int, bounds) -> bool:
    """A row whose values over the case columns are mostly risk levels (and nothing else)."""
    hits = 0
    for g, _fb, end in bounds:
        for c in range(g, end):
            v = grid.value(r, c)
            if v is not None:
                if parse_risk_level(v) is None:
                    return False
                hits += 1
                break
    return hits >= max(1, (len(bounds) + 1) // 2)


# --------------------------------------------------------------------------- transposed


def _label_row(grid: SheetGrid, r: int) -> bool:
    """A second header row: only Grade / Feedback / metadata labels in it."""
    cells = grid.row_cells(r)
    if not cells:
        return False
    for _c, v in cells:
        if not isinstance(v, str):
            return False
        lab = norm_label(v)
        if not (
            is_grade_label(lab) or is_feedback_label(lab) or is_notes_label(lab) or meta_key(v)
        ):
            return False
    return True


def read_transposed(grid: SheetGrid, ctx: Context, header_row: int) -> SheetResult:
    res = SheetResult(layout="transposed")
    header = grid.row_cells(header_row)
    # questions merged over two columns, with 'Grade | Feedback' (and metadata labels) below
    sub = header_row + 1 if _label_row(grid, header_row + 1) else None
    first_data = (sub or header_row) + 1
    if sub is not None:
        have = {c for c, _v in header}
        header = sorted(
            header + [(c, v) for c, v in grid.row_cells(sub) if c not in have and meta_key(v)]
        )
    meta_cols: dict[int, str] = {}
    q_cols: dict[int, tuple[str | None, float, str]] = {}
    fb_of: dict[int, int] = {}
    for c, v in header:
        if not isinstance(v, str) and v is not None:
            v = str(v)
        key = meta_key(v)
        if key:
            meta_cols[c] = key
            continue
        lab = norm_label(v)
        if is_feedback_label(lab) or is_notes_label(lab) or is_grade_label(lab):
            continue
        m = ctx.matcher.match(v)
        if m is not None and m.confidence >= ctx.min_conf:
            q_cols[c] = (m.question_id, m.confidence, v)
        elif len(lab) >= 8:
            q_cols[c] = (None, m.confidence if m else 0.0, v)
    for c in q_cols:
        nxt = c + 1
        lab = norm_label(grid.value(header_row, nxt))
        if sub is not None and not lab:
            lab = norm_label(grid.value(sub, nxt))
        if nxt not in q_cols and nxt not in meta_cols and (is_feedback_label(lab) or not lab):
            fb_of[c] = nxt
    # a column header that matches nothing is only a question if it holds grades
    for c, (qid, _conf, _t) in list(q_cols.items()):
        if qid is None and not any(
            (r, c) in grid.colour_grades or parse_grade(grid.value(r, c), ctx.five)
            for r in range(first_data, grid.max_row + 1)
        ):
            del q_cols[c]
    # rows above the header: title and sheet-wide labels
    for r in range(1, header_row):
        cells = grid.row_cells(r)
        for j, (_c, v) in enumerate(cells):
            key = meta_key(v) if isinstance(v, str) else None
            if key and j + 1 < len(cells):
                res.sheet_meta.setdefault(key, cells[j + 1][1])
                break
            lv = split_label_value(v)
            if lv:
                res.sheet_meta.setdefault(lv[0], lv[1])
            elif isinstance(v, str):
                res.titles.append(v)
    for c, (qid, conf, text) in q_cols.items():
        if qid is not None and conf < ctx.low_conf:
            res.matches.append(QuestionMatch(grid.title, cell_ref(header_row, c), text, qid, conf))
        if qid is None:
            res.issues.append(
                Issue(
                    "unmatched-question",
                    f"{_short(text, 60)!r} matches no question in the set: kept for review",
                    grid.title,
                    cell_ref(header_row, c),
                )
            )
    seen_ids: dict[str, int] = {}
    dup_cols = set()
    for c, (qid, _conf, _t) in sorted(q_cols.items()):
        if qid is None:
            continue
        if qid in seen_ids:
            dup_cols.add(c)
        else:
            seen_ids[qid] = c
    for r in range(first_data, grid.max_row + 1):
        if not any(_has_content(grid, r, c) for c in [*meta_cols, *q_cols, *fb_of.values()]):
            continue
        case = RawCase(source_ref=f"row {r}")
        case.anchor = cell_ref(r, min(q_cols) if q_cols else 1)
        for c, key in meta_cols.items():
            v = grid.value(r, c)
            if v is not None:
                case.meta.setdefault(key, v)
                case.cells.setdefault(key, cell_ref(r, c))
        idx = len(res.cases)
        for c, (qid, conf, text) in sorted(q_cols.items()):
            res.cells_read += 1
            grade, source, feedback = read_grade(
                grid, r, c, _to_feedback(grid, r, fb_of.get(c)), ctx, res.issues
            )
            ref = cell_ref(r, c)
            if qid is None or c in dup_cols:
                if c in dup_cols:
                    res.issues.append(
                        Issue(
                            "duplicate-question",
                            f"question {qid} appears in two columns: this one kept for review",
                            grid.title,
                            ref,
                        )
                    )
                res.unmatched.append(UnmatchedRow(grid.title, ref, text, grade, feedback, idx))
                continue
            case.answers.append(AnswerRecord(qid, grade, source, feedback, ref, conf))
        res.cases.append(case)
    return res


# --------------------------------------------------------------------------- tidy

_TIDY_META = {
    "force": "force",
    "reviewing_force": "reviewing_force",
    "risk_level": "risk_level",
    "case_id": "case_ref",
    "officer": "officer",
    "reviewer": "reviewer",
    "arms_completed": "arms_completed",
    "review_date": "review_date",
    "quarter": "quarter",
}


def unneutralise(value: object) -> object:
    """Undo the export's formula-injection guard (a leading apostrophe before = + - @)."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def read_tidy(grid: SheetGrid, ctx: Context, header_row: int, cols: dict[str, int]) -> SheetResult:
    """One row per answer; rows of the same case (quarter, force, case, officer ...) group."""
    res = SheetResult(layout="tidy")
    groups: dict[tuple, RawCase] = {}
    seen: dict[tuple, set[str]] = {}
    qcol = cols.get("question")
    for r in range(header_row + 1, grid.max_row + 1):

        def val(name: str, _r: int = r) -> object:
            c = cols.get(name)
            return unneutralise(grid.value(_r, c)) if c else None

        if val("question_id") is None and (qcol is None or grid.value(r, qcol) is None):
            continue
        meta = {}
        for col, key in _TIDY_META.items():
            v = val(col)
            if v is not None:
                meta[key] = v.date() if isinstance(v, dt.datetime) else v
        if "quarter" not in meta and val("quarter_start") is not None:
            meta["quarter"] = val("quarter_start")
        gkey = tuple(
            str(meta.get(k))
            for k in (
                "quarter",
                "force",
                "reviewing_force",
                "risk_level",
                "case_ref",
                "officer",
                "reviewer",
            )
        )
        case = groups.get(gkey)
        if case is None:
            case = groups[gkey] = RawCase(meta=meta, source_ref=f"rows from {r}")
            case.anchor = cell_ref(r, cols["grade"])
            res.cases.append(case)
            seen[gkey] = set()
        res.cells_read += 1
        ref = cell_ref(r, cols["grade"])
        qid_raw = val("question_id")
        qid = str(qid_raw).strip() if qid_raw is not None else None
        if isinstance(qid_raw, float) and qid_raw.is_integer():
            qid = str(int(qid_raw))
        text = str(val("question") or "")
        conf = 1.0
        if qid not in ctx.matcher.by_id:
            m = ctx.matcher.match(text, qid) if text else None
            if m is not None and m.confidence >= ctx.min_conf:
                qid, conf = m.question_id, m.confidence
                if conf < ctx.low_conf:
                    res.matches.append(
                        QuestionMatch(
                            grid.title, cell_ref(r, qcol or cols["question_id"]), text, qid, conf
                        )
                    )
            else:
                qid = None
        feedback = val("feedback")
        feedback = str(feedback) if feedback is not None else None
        raw_grade = val("grade")
        grade = parse_grade(raw_grade, ctx.five) if raw_grade is not None else None
        if raw_grade is not None and grade is None:
            res.issues.append(
                Issue(
                    "grade-not-understood",
                    f"{_short(raw_grade)!r} is not a grade: kept as ungraded",
                    grid.title,
                    ref,
                )
            )
            feedback = "\n".join(x for x in (feedback, str(raw_grade)) if x)
        source = val("grade_source")
        source = str(source).strip().lower() if source is not None else None
        if grade is None:
            source = None
        elif source not in ("text", "colour", "both"):
            source = "text"
        if grade == NA and source == "colour":
            source = "text"
        if qid is None or qid in seen[gkey]:
            if qid is not None:
                res.issues.append(
                    Issue(
                        "duplicate-question",
                        f"question {qid} appears twice for the same case: kept for review",
                        grid.title,
                        ref,
                    )
                )
            res.unmatched.append(
                UnmatchedRow(
                    grid.title,
                    ref,
                    text or str(qid_raw or ""),
                    grade,
                    feedback,
                    res.cases.index(case),
                )
            )
            continue
        seen[gkey].add(qid)
        case.answers.append(AnswerRecord(qid, grade, source, feedback, ref, conf))
    return res


def title_quarter(texts: list[str]):
    for t in texts:
        q = parse_quarter(t)
        if q is not None:
            return q
    return None
