"""bytes -> ImportPlan: safety checks, grids, layout per sheet, then the case records.

Nothing here writes to the database. Raw case references live only in local variables:
they are pseudonymised, and redacted from the feedback, before the plan is returned.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from dashboard import pseudonym, questions, store
from dashboard.importer.cells import TooManyCells, load_grids
from dashboard.importer.labels import NON_FORCE_SHEETS, norm_label, parse_date
from dashboard.importer.layout import Context, RawCase, SheetResult, detect
from dashboard.importer.matching import QuestionMatcher
from dashboard.importer.model import (
    ImportPlan,
    Issue,
    ReviewRecord,
    SheetReport,
    UnmatchedRow,
    rejected,
)
from dashboard.importer.redact import Redactor
from dashboard.importer.safety import check_bytes
from dashboard.importer.tidy_csv import csv_grids, csv_reason
from dashboard.settings import Settings, load_settings
from dashboard.vocab import Forces, Quarter, parse_quarter, parse_risk_level


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_workbook(
    data: bytes,
    file_name: str,
    con,
    *,
    quarter: str | Quarter | None = None,
    settings: Settings | None = None,
) -> ImportPlan:
    """Everything the workbook says, as records and a report; writes nothing."""
    sha = sha256_of(data)
    s = settings or load_settings(con)
    is_csv = file_name.lower().endswith(".csv")
    reason = csv_reason(data, file_name, s) if is_csv else check_bytes(data, file_name, s)
    if reason:
        return rejected(file_name, sha, reason)
    given = None
    if quarter is not None and str(quarter).strip():
        given = parse_quarter(quarter)
        if given is None:
            return rejected(
                file_name, sha, f"{quarter!r} is not a quarter like '2024/25 Q2'", "bad-quarter"
            )
    try:
        grids = (
            csv_grids(data, file_name) if is_csv else load_grids(data, s.five_grades, s.max_cells)
        )
    except TooManyCells as exc:
        return rejected(file_name, sha, f"{file_name}: {exc}, over the limit", "too-many-cells")
    except Exception as exc:  # noqa: BLE001 - any parser failure is a refusal, never a traceback
        return rejected(
            file_name,
            sha,
            f"{file_name} could not be read as a workbook ({exc.__class__.__name__}): "
            "it may be damaged; open it in Excel and save it again",
            "unreadable",
        )
    forces = store.load_forces(con)
    version = questions.active_version(con)
    matcher = QuestionMatcher(questions.load_questions(con, version))
    ctx = Context(matcher, s.five_grades, s.min_match_confidence, s.low_match_confidence)
    plan = ImportPlan(file_name=file_name, sha256=sha, question_set_version=version)

    results: list[tuple[SheetReport, SheetResult, str | None]] = []
    for grid in grids.sheets:
        rep = SheetReport(sheet=grid.title, force=None)
        plan.sheets.append(rep)
        if grid.hidden:
            _skip(rep, "hidden sheet")
            continue
        # 'Cheshire (reviewed by Merseyside)': the force under review comes first
        force = forces.match(_under_review(grid.title)) or forces.match(grid.title)
        if force is None and norm_label(grid.title) in NON_FORCE_SHEETS:
            _skip(rep, "not a force sheet")
            continue
        result = detect(grid, ctx)
        if result is None:
            if force is not None:
                _skip(
                    rep,
                    f"named after {force} but holds no review table (no Grade column or questions found)",
                )
                plan.issues.append(
                    Issue(
                        "no-review-table",
                        f"sheet {grid.title!r} is named after {force} "
                        "but no review table was found on it",
                        grid.title,
                    )
                )
            else:
                _skip(rep, "not named after a force")
            continue
        per_case = any(c.meta.get("force") is not None for c in result.cases)
        if result.layout != "tidy" and force is None and not per_case:
            force = _force_from_sheet(result, forces)
            if force is None:
                _skip(rep, "not named after a force")
                continue
            result.issues.append(
                Issue(
                    "force-from-title",
                    f"the sheet name does not name a force: {force} taken from its title",
                    grid.title,
                )
            )
        rep.force = force
        rep.layout = result.layout
        results.append((rep, result, force))

    if not results:
        names = ", ".join(repr(g.title) for g in grids.sheets) or "no sheets"
        empty = [
            r.sheet
            for r in plan.sheets
            if r.skip_reason and r.skip_reason.startswith("named after")
        ]
        if empty:
            plan.status = "rejected"
            plan.reason = (
                "no review table (a Grade column or the questions) was found on "
                + ", ".join(repr(n) for n in empty)
            )
        else:
            plan.status, plan.reason = "rejected", f"no sheet is named after a force: found {names}"
        plan.issues.append(Issue("no-force-sheet", plan.reason, severity="error"))
        return plan

    by_force = Counter(f for _r, res, f in results if f and res.layout != "tidy")
    for f, n in by_force.items():
        if n > 1:
            plan.issues.append(Issue("force-twice", f"{n} sheets are about {f}: all are imported"))

    # ---------------------------------------------------------------- quarter
    plan.quarter, plan.quarter_source = _quarter(
        given, results, grids.sheets, file_name, plan.issues
    )

    # ---------------------------------------------------------------- cases -> reviews
    redactor = Redactor()
    for _rep, res, _f in results:
        for case in res.cases:
            redactor.add_ref(case.meta.get("case_ref"))
    for rep, res, force in results:
        plan.cells_read += res.cells_read
        plan.matches.extend(res.matches)
        rep.warnings.extend(res.issues)
        sheet_reviewing = _reviewing_force(res, forces)
        position: dict[int, int] = {}  # case on the sheet -> its review among the sheet's reviews
        for case_idx, case in enumerate(res.cases):
            review = _review(case, res, rep, force, sheet_reviewing, forces, plan)
            if review is None:  # kept for review, never dropped
                res.unmatched.extend(
                    UnmatchedRow(
                        rep.sheet,
                        a.cell or "",
                        f"{a.question_id} (force not recognised)",
                        a.grade,
                        a.feedback,
                        None,
                    )
                    for a in case.answers
                )
                continue
            position[case_idx] = rep.cases
            for a in review.answers:
                a.feedback, a.redactions = redactor.redact(a.feedback)
                if a.redactions:
                    rep.warnings.append(
                        Issue(
                            "redacted-identifier",
                            f"{a.redactions} identifier(s) (case reference or PNC ID) "
                            "removed from the feedback",
                            rep.sheet,
                            a.cell,
                        )
                    )
                if a.grade_source == "text":
                    rep.grades_from_text += 1
                elif a.grade_source == "colour":
                    rep.grades_from_colour += 1
                elif a.grade_source == "both":
                    rep.grades_from_both += 1
            ungraded = [a.cell for a in review.answers if a.grade is None]
            if ungraded:
                shown = ", ".join(c for c in ungraded[:6] if c) + (
                    " ..." if len(ungraded) > 6 else ""
                )
                rep.warnings.append(
                    Issue(
                        "ungraded",
                        f"{len(ungraded)} question(s) have no grade ({shown})",
                        rep.sheet,
                        case.anchor or None,
                    )
                )
            rep.cases += 1
            rep.answers += len(review.answers)
            plan.reviews.append(review)
        for u in res.unmatched:
            u.feedback, _n = redactor.redact(u.feedback)
            u.text, _n = redactor.redact(u.text)
            u.case_index = position.get(u.case_index) if u.case_index is not None else None
        plan.unmatched.extend(res.unmatched)

    for rep, _res, _f in results:
        n_unmatched = sum(1 for u in plan.unmatched if u.sheet == rep.sheet)
        if n_unmatched > rep.answers:
            plan.issues.append(
                Issue(
                    "question-set-mismatch",
                    f"most question rows on {rep.sheet!r} match no question in the active question set "
                    f"({n_unmatched} kept for review, {rep.answers} matched): is the right question set loaded?",
                    rep.sheet,
                )
            )
        if rep.force is None:
            rep.force = (
                ", ".join(sorted({r.force for r in plan.reviews if r.sheet == rep.sheet})) or None
            )
    _scrub(plan, redactor)
    if not plan.reviews:
        plan.status = "rejected"
        plan.reason = (
            "no reviews were found on the force sheets ("
            + ", ".join(repr(r.sheet) for r, _res, _f in results)
            + ")"
        )
        plan.issues.append(Issue("no-reviews", plan.reason, severity="error"))
        return plan
    if any(r.quarter is None for r in plan.reviews) and plan.quarter is None:
        plan.status = "rejected"
        plan.reason = (
            "cannot tell which quarter this is: add --quarter (or choose it on the upload page)"
        )
        plan.issues.append(Issue("no-quarter", plan.reason, severity="error"))
    return plan


def _skip(rep: SheetReport, why: str) -> None:
    rep.skipped = True
    rep.skip_reason = why


def _under_review(title: str) -> str:
    return re.split(r"(?i)\b(?:review(?:ed|ing)?|rev)\.?\s+by\b|\breviewer\b", str(title))[0]


def _force_from_sheet(res: SheetResult, forces: Forces) -> str | None:
    f = forces.match(res.sheet_meta.get("force")) if res.sheet_meta.get("force") else None
    if f:
        return f
    for t in res.titles:
        # the force under review, not the one reviewing it
        head = re.split(r"(?i)\breview(?:ed|ing)?\s+by\b|\breviewer\b", str(t))[0]
        f = forces.find_in(head)
        if f:
            return f
    return None


def _reviewing_force(res: SheetResult, forces: Forces) -> str | None:
    v = res.sheet_meta.get("reviewing_force")
    if v is not None:
        return forces.match(v) or forces.find_in(v)
    for t in res.titles:
        m = re.search(
            r"(?i)\b(?:review(?:ed|ing)?\s+by|reviewer|reviewing force)\b[:\s-]*(.+)", str(t)
        )
        if m:
            f = forces.find_in(m.group(1))
            if f:
                return f
    return None


def _quarter(
    given, results, sheets, file_name, issues: list[Issue]
) -> tuple[Quarter | None, str | None]:
    if given is not None:
        return given, "given"
    tidy = [res for _r, res, _f in results if res.layout == "tidy"]
    if tidy:
        qs = {parse_quarter(c.meta.get("quarter")) for res in tidy for c in res.cases}
        qs.discard(None)
        if qs:
            return max(qs), "rows"
    found = Counter()
    for _rep, res, _f in results:
        for text in [res.sheet_meta.get("quarter"), *res.titles]:
            q = parse_quarter(text) if text is not None else None
            if q is not None:
                found[q] += 1
                break
    if found:
        best = found.most_common(1)[0][0]
        if len(found) > 1:
            others = ", ".join(q.label for q in sorted(found) if q != best)
            issues.append(
                Issue(
                    "quarter-disagrees",
                    f"sheet titles name more than one quarter: {best.label} used (also {others})",
                )
            )
        in_name = parse_quarter(Path(file_name).stem.replace("_", " "))
        if in_name is not None and in_name != best:
            issues.append(
                Issue(
                    "quarter-disagrees",
                    f"the titles say {best.label} but the file name "
                    f"says {in_name.label}: {best.label} used",
                )
            )
        return best, "title"
    for g in sheets:
        q = parse_quarter(g.title)
        if q is not None:
            return q, "sheet"
    q = parse_quarter(Path(file_name).stem.replace("_", " "))
    if q is not None:
        return q, "file name"
    reviews = []
    arms = []
    for _rep, res, _f in results:
        for c in res.cases:
            d = parse_date(c.meta.get("review_date"))
            if d:
                reviews.append(Quarter.containing(d))
            d = parse_date(c.meta.get("arms_completed"))
            if d:
                arms.append(Quarter.containing(d))
    if reviews:
        return Counter(reviews).most_common(1)[0][0], "dates"
    if arms:
        # cases are reviewed the quarter after their ARMS was completed (domain.md)
        return Counter(arms).most_common(1)[0][0].next(), "dates"
    return None, None


def _review(
    case: RawCase,
    res: SheetResult,
    rep: SheetReport,
    force: str | None,
    sheet_reviewing: str | None,
    forces: Forces,
    plan: ImportPlan,
) -> ReviewRecord | None:
    m = case.meta
    where = case.anchor or None
    if m.get("force") is not None or force is None:
        # a force per case (tidy rows, a Force column): it wins over the sheet name
        own = forces.match(m.get("force")) if m.get("force") is not None else None
        if own is None:
            rep.warnings.append(
                Issue(
                    "unknown-force",
                    (
                        f"a case with force {m.get('force')!r}, which names no known force"
                        if m.get("force") is not None
                        else "a case with no force"
                    )
                    + ": kept for review, not imported",
                    rep.sheet,
                    where,
                )
            )
            return None
        if force is not None and own != force and res.layout != "tidy":
            rep.warnings.append(
                Issue(
                    "force-differs",
                    f"the case says {own}, the sheet {force}: {own} used",
                    rep.sheet,
                    case.cells.get("force") or where,
                )
            )
        force = own
    reviewing = sheet_reviewing
    if m.get("reviewing_force") is not None:
        reviewing = (
            forces.match(m["reviewing_force"]) or forces.find_in(m["reviewing_force"]) or reviewing
        )
    if reviewing is not None and reviewing == force:
        rep.warnings.append(
            Issue("self-review", f"{force} is named as reviewing itself", rep.sheet, where)
        )
    risk = parse_risk_level(m.get("risk_level")) if m.get("risk_level") is not None else None
    if risk is None and m.get("_header") is not None:
        risk = parse_risk_level(m.get("_header"))
    if risk is None:
        seen = m.get("risk_level")
        msg = (
            f"risk level {str(seen)!r} not understood"
            if seen is not None
            else "a case with no risk level"
        ) + f" ({case.source_ref}): imported without one"
        rep.warnings.append(
            Issue("no-risk-level", msg, rep.sheet, case.cells.get("risk_level") or where)
        )
    raw_ref = m.get("case_ref")
    case_id = pseudonym.pseudonymise(raw_ref) if raw_ref is not None else None
    if case_id is None:
        rep.warnings.append(
            Issue(
                "no-case-reference",
                f"a case with no case reference ({case.source_ref})",
                rep.sheet,
                where,
            )
        )
    dates = {}
    for key in ("arms_completed", "review_date"):
        v = m.get(key)
        d = parse_date(v) if v is not None else None
        if v is not None and d is None:
            rep.warnings.append(
                Issue(
                    "bad-date",
                    f"{key.replace('_', ' ')} {str(v)!r} is not a date",
                    rep.sheet,
                    case.cells.get(key) or where,
                )
            )
        dates[key] = d
    quarter = None
    if res.layout == "tidy":
        quarter = parse_quarter(m.get("quarter")) if m.get("quarter") is not None else None
        quarter = quarter or plan.quarter
    return ReviewRecord(
        force=force,
        reviewing_force=reviewing,
        risk_level=risk,
        case_id=case_id,
        officer=_text(m.get("officer")),
        reviewer=_text(m.get("reviewer")),
        arms_completed=dates["arms_completed"],
        review_date=dates["review_date"],
        sheet=rep.sheet,
        source_ref=case.source_ref,
        answers=case.answers,
        quarter=quarter,
    )


def _text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    t = re.sub(r"\s+", " ", str(v)).strip()
    return t or None


def _scrub(plan: ImportPlan, redactor: Redactor) -> None:
    """Identifiers can hide in any text a person typed: warning messages quoting a cell,
    the question text of unmatched rows, even sheet and file names. Redact them all."""
    renamed: dict[str, str] = {}
    for rep in plan.sheets:
        new, n = redactor.redact(rep.sheet)
        if n:
            renamed[rep.sheet] = new
    new_file, n = redactor.redact(plan.file_name)
    if n:
        plan.file_name = new_file
    issues = plan.issues + [w for rep in plan.sheets for w in rep.warnings]
    for i in issues:
        i.message, _n = redactor.redact(i.message)
        i.sheet = renamed.get(i.sheet, i.sheet) if i.sheet else i.sheet
    for m in plan.matches:
        m.seen, _n = redactor.redact(m.seen)
        m.sheet = renamed.get(m.sheet, m.sheet)
    if renamed:
        for rep in plan.sheets:
            rep.sheet = renamed.get(rep.sheet, rep.sheet)
        for r in plan.reviews:
            r.sheet = renamed.get(r.sheet, r.sheet)
        for u in plan.unmatched:
            u.sheet = renamed.get(u.sheet, u.sheet)
        plan.issues.append(
            Issue(
                "redacted-identifier",
                "a sheet name held a case reference or PNC ID: it is shown redacted",
            )
        )
