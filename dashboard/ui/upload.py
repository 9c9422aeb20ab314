"""The upload flow's widgets and the tables of its validation report.

The flow: files in the uploader -> each read once by ``importer.read_workbook`` (no writes)
into an ``ImportPlan`` kept in ``st.session_state`` keyed by the file's SHA-256 -> the
report (sheets, grades, matches, unmatched rows, redactions, warnings with cells), the
quarter (detected, or chosen: the file is then read again with ``quarter=``), what a
re-send will replace -> Import or Cancel -> the import history and audit log.

The ``*_table`` / ``*_line`` functions are pure (ImportPlan or dict in, DataFrame or str
out) so they are tested without a browser. Free text is only ever shown in dataframes or
escaped with ``plain()``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from dashboard import importer
from dashboard.importer.model import ImportPlan
from dashboard.settings import Settings
from dashboard.ui.text import plain
from dashboard.vocab import Quarter, parse_quarter

STATE = "upload_entries"  # sha256 -> Entry
HANDLED = "upload_handled"  # shas imported or cancelled (ignored while still in the uploader)
GENERATION = "upload_generation"  # bumps to empty the uploader
IN_UPLOADER = "upload_in_uploader"  # shas in the uploader on the last run
MESSAGES = "upload_messages"  # (kind, text) shown once after an action
UNDO = "upload_undo_pending"  # import_id awaiting confirmation
REMOVE_DEMO = "upload_remove_demo_pending"  # the demo removal awaiting confirmation

NO_QUARTER = "Choose the quarter"


@dataclass
class Entry:
    """One uploaded file: its bytes and what the importer read from them."""

    name: str
    data: bytes
    sha256: str
    plan: ImportPlan
    quarter_given: str | None = None  # the quarter a person chose, when not detected
    seconds: float = 0.0
    effects: dict = field(default_factory=dict)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------- pure tables


# where the importer found the quarter, in words
QUARTER_SOURCES = {
    "given": "chosen here",
    "title": "from the title",
    "sheet": "from a sheet name",
    "file name": "from the file name",
    "dates": "from the review and ARMS dates",
    "rows": "from the rows",
}


def quarter_source(plan: ImportPlan) -> str:
    src = plan.quarter_source
    return QUARTER_SOURCES.get(src, f"from {src}") if src else ""


def review_quarters(plan: ImportPlan) -> list[str]:
    """Quarters carried by the rows themselves (a tidy file), oldest first."""
    return [q.label for q in sorted({r.quarter for r in plan.reviews if r.quarter})]


def needs_quarter(plan: ImportPlan) -> bool:
    """Refused only because the quarter could not be found: choosing one reads it again."""
    return plan.status == "rejected" and any(i.kind == "no-quarter" for i in plan.errors)


def summary_line(plan: ImportPlan) -> str:
    """One line: quarter (and where it came from), forces, reviews, answers, warnings."""
    if plan.status == "rejected":
        return f"Refused: {plan.reason}"
    c = plan.counts()
    rows = review_quarters(plan)
    if len(rows) > 1:
        q = f"{rows[0]} to {rows[-1]} (from the rows)"
    elif plan.quarter is not None:
        q = plan.quarter.label + (f" ({quarter_source(plan)})" if plan.quarter_source else "")
    elif rows:
        q = f"{rows[0]} (from the rows)"
    else:
        q = "quarter not found"
    forces = plan.forces()
    parts = [
        q,
        f"{len(forces)} force{'s' if len(forces) != 1 else ''}",
        f"{c['reviews']} reviews",
        f"{c['answers']} answers",
        f"{len(plan.warnings)} warnings",
    ]
    if c["unmatched_rows"]:
        n = c["unmatched_rows"]
        parts.append(f"{n} unmatched row{'s' if n != 1 else ''} kept for review")
    if c["redactions"]:
        n = c["redactions"]
        parts.append(f"{n} identifier{'s' if n != 1 else ''} redacted")
    return " · ".join(parts)


def sheet_table(plan: ImportPlan) -> pd.DataFrame:
    """Per sheet: force recognised or why skipped, layout, cases, answers, grade sources."""
    rows = []
    for s in plan.sheets:
        rows.append(
            {
                "sheet": s.sheet,
                "force": s.force or "",
                "read": "skipped: " + (s.skip_reason or "not a force") if s.skipped else "read",
                "layout": s.layout or "",
                "cases": s.cases,
                "answers": s.answers,
                "grade from text": s.grades_from_text,
                "from colour": s.grades_from_colour,
                "from both": s.grades_from_both,
                "warnings": len(s.warnings),
            }
        )
    cols = [
        "sheet",
        "force",
        "read",
        "layout",
        "cases",
        "answers",
        "grade from text",
        "from colour",
        "from both",
        "warnings",
    ]
    return pd.DataFrame(rows, columns=cols)


def grade_counts_table(plan: ImportPlan) -> pd.DataFrame:
    """Answers by grade, N/A and ungraded: what every grade cell became."""
    c = plan.counts()
    row = dict(c["by_grade"])
    row["no grade"] = c["ungraded"]
    row["total answers"] = c["answers"]
    return pd.DataFrame([row])


def warning_table(plan: ImportPlan) -> pd.DataFrame:
    """Every finding with its place: sheet, cell, kind, message (errors first)."""
    rows = [
        {
            "sheet": i.sheet or "",
            "cell": i.cell or "",
            "kind": i.kind,
            "severity": i.severity,
            "message": i.message,
        }
        for i in plan.errors + plan.warnings
    ]
    return pd.DataFrame(rows, columns=["sheet", "cell", "kind", "severity", "message"])


def match_table(
    plan: ImportPlan, settings: Settings, question_text: dict[str, str] | None = None
) -> pd.DataFrame:
    """Question matches below ``low_match_confidence``: for a person to check."""
    question_text = question_text or {}
    rows = [
        {
            "sheet": m.sheet,
            "cell": m.cell,
            "text in the workbook": m.seen,
            "matched question": m.question_id,
            "question set text": question_text.get(m.question_id, ""),
            "confidence": round(m.confidence, 2),
        }
        for m in plan.matches
        if m.confidence < settings.low_match_confidence
    ]
    cols = [
        "sheet",
        "cell",
        "text in the workbook",
        "matched question",
        "question set text",
        "confidence",
    ]
    return pd.DataFrame(rows, columns=cols).sort_values("confidence", kind="stable")


def unmatched_table(plan: ImportPlan) -> pd.DataFrame:
    rows = [
        {
            "sheet": u.sheet,
            "cell": u.cell,
            "text": u.text,
            "grade": u.grade or "",
            "feedback": u.feedback or "",
        }
        for u in plan.unmatched
    ]
    return pd.DataFrame(rows, columns=["sheet", "cell", "text", "grade", "feedback"])


def redaction_line(plan: ImportPlan) -> str | None:
    n = plan.counts()["redactions"]
    if not n:
        return None
    answers = sum(1 for a in plan.answers if a.redactions)
    return (
        f"{n} identifier{'s' if n != 1 else ''} (PNC IDs or case references) redacted from the "
        f"feedback of {answers} answer{'s' if answers != 1 else ''}; the original text is not stored."
    )


def effects_lines(effects: dict | None) -> tuple[str | None, list[str]]:
    """(duplicate line or None, one line per earlier import a re-send replaces)."""
    if not effects:
        return None, []
    dup = effects.get("duplicate_of")
    dup_line = None
    if dup:
        dup_line = (
            f"This exact file (same SHA-256) was already imported as import "
            f"#{dup.get('import_id')} ({dup.get('file_name')}, {_when(dup.get('imported_at'))}); "
            "importing it again would change nothing."
        )
    lines = [
        f"Replaces {r.get('force')} {r.get('quarter')}: {r.get('reviews')} reviews from import "
        f"#{r.get('import_id')} ({r.get('file_name')}). The history keeps both."
        for r in effects.get("replaces") or []
    ]
    return dup_line, lines


def result_line(result: dict) -> str:
    """The one line shown after an import."""
    name = result.get("file", "")
    if result.get("status") == "duplicate":
        return f"{name}: already imported (same SHA-256); nothing was written."
    if result.get("status") == "rejected":
        return f"{name}: refused - {result.get('reason')}"
    c = result.get("counts") or {}
    line = (
        f"Imported {name} as import #{result.get('import_id')}: {result.get('quarter')}, "
        f"{c.get('reviews', 0)} reviews, {c.get('answers', 0)} answers."
    )
    replaced = result.get("replaced") or []
    if replaced:
        what = ", ".join(
            f"{r.get('force')} {r.get('quarter')} (import #{r.get('import_id')})"
            if isinstance(r, dict)
            else str(r)
            for r in replaced
        )
        line += f" Replaced earlier data for {what}."
    return line


def _when(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d %b %Y %H:%M")
    return str(value) if value is not None else "an earlier date"


def quarter_options(
    detected: Quarter | None, known: list[str] | tuple[str, ...] = (), today: dt.date | None = None
) -> list[str]:
    """Quarters a person may choose, newest first: from 2023/24 Q1 (or the oldest data) to
    the quarter after today's, with the detected one and those already in the database."""
    today = today or dt.date.today()
    last = Quarter.containing(today).next()
    qs = {q for q in (parse_quarter(k) for k in known) if q is not None}
    if detected is not None:
        qs.add(detected)
    first = min([Quarter(2023, 1), *qs])
    end = max([last, *qs])
    out = [Quarter.from_index(i) for i in range(first.index, end.index + 1)]
    return [q.label for q in sorted(out, reverse=True)]


def can_import(entry: Entry) -> tuple[bool, str | None]:
    """Whether the Import button is live, and if not, why (one line)."""
    plan = entry.plan
    if plan.status == "rejected":
        return False, plan.reason
    if (entry.effects or {}).get("duplicate_of"):
        return False, "already imported"
    if plan.quarter is None and not all(r.quarter for r in plan.reviews):
        return False, "choose the quarter first"
    if not plan.reviews:
        return False, "no reviews were found"
    if plan.errors:
        return False, plan.errors[0].message
    return True, None


HISTORY_COLUMNS = {
    "import_id": "import",
    "imported_at": "when",
    "imported_by": "who",
    "file_name": "file",
    "sha256": "SHA-256",
    "quarter": "quarter",
    "reviews": "reviews",
    "answers": "answers",
    "warnings": "warnings",
    "unmatched": "unmatched",
    "status": "status",
    "is_demo": "demo",
    "active_reviews": "reviews in force",
    "forces": "forces",
    "replaced_by": "replaced by import",
}

HISTORY_CONFIG = {
    "when": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
    "file": st.column_config.TextColumn(width="medium"),
    "forces": st.column_config.TextColumn(width="medium"),
    "replaced by import": st.column_config.NumberColumn(format="%d", width="small"),
}
SHEET_CONFIG = {
    "sheet": st.column_config.TextColumn(width="medium"),
    "force": st.column_config.TextColumn(width="medium"),
    "read": st.column_config.TextColumn(width="medium"),
}


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The import history for people: short hash, newest first, plain column names."""
    if history is None or history.empty:
        return pd.DataFrame(columns=list(HISTORY_COLUMNS.values()))
    df = history.copy()
    if "sha256" in df:
        df["sha256"] = df["sha256"].astype(str).str[:12]
    keep = [c for c in HISTORY_COLUMNS if c in df.columns]
    extra = [c for c in df.columns if c not in HISTORY_COLUMNS and c != "report_json"]
    df = df[keep + extra].rename(columns=HISTORY_COLUMNS)
    if "import" in df:
        df = df.sort_values("import", ascending=False, kind="stable")
    return df.reset_index(drop=True)


def undoable(history: pd.DataFrame) -> list[dict]:
    """Imports that can be undone (still in force), newest first."""
    if history is None or history.empty or "status" not in history:
        return []
    df = history[history["status"] == "imported"].sort_values("import_id", ascending=False)
    return df.to_dict("records")


def demo_imports(history: pd.DataFrame) -> list[int]:
    """The demo's imports still in force."""
    if history is None or history.empty or "is_demo" not in history:
        return []
    df = history[(history["status"] == "imported") & history["is_demo"].astype(bool)]
    return sorted(int(i) for i in df["import_id"])


def undo_label(row: dict) -> str:
    return (
        f"#{row.get('import_id')} {row.get('file_name')} - {row.get('quarter') or 'no quarter'}, "
        f"{row.get('reviews')} reviews, {_when(row.get('imported_at'))}"
    )


# ------------------------------------------------------------------ session state


def _state() -> dict[str, Entry]:
    return st.session_state.setdefault(STATE, {})


def _handled() -> set[str]:
    return st.session_state.setdefault(HANDLED, set())


def message(kind: str, text: str) -> None:
    st.session_state.setdefault(MESSAGES, []).append((kind, text))


def show_messages() -> None:
    for kind, text in st.session_state.pop(MESSAGES, []):
        getattr(st, kind)(plain(text))


def uploader_key() -> str:
    return f"upload_files_{st.session_state.get(GENERATION, 0)}"


def _maybe_empty_uploader() -> None:
    """Once every file in the uploader has been imported or cancelled, empty it."""
    current = set(st.session_state.get(IN_UPLOADER, []))
    if current and current <= _handled():
        st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
        st.session_state[HANDLED] = set()
        st.session_state[IN_UPLOADER] = []


def read_files(con, files: list, read: Callable | None = None) -> list[Entry]:
    """Read every new file once (no writes), with a progress display; entries in upload order.

    Files already read this session (same SHA-256) are not read again; files removed from
    the uploader are forgotten; files imported or cancelled are skipped.
    """
    entries = _state()
    handled = _handled()
    blobs = [(f.name, f.getvalue()) for f in files or []]
    keyed = [(name, data, sha256(data)) for name, data in blobs]
    st.session_state[IN_UPLOADER] = [k for _, _, k in keyed]
    for k in [k for k in entries if k not in {s for _, _, s in keyed}]:
        del entries[k]
    new = [(n, d, k) for n, d, k in keyed if k not in entries and k not in handled]
    if new:
        read = read or importer.read_workbook
        label = f"Checking {len(new)} workbook{'s' if len(new) != 1 else ''}..."
        with st.status(label, expanded=True) as status:
            bar = st.progress(0.0)
            for i, (name, data, key) in enumerate(new):
                st.text(f"Reading {name} ({len(data) / 1_000_000:.1f} MB)")
                entries[key] = _read(con, name, data, key, None, read)
                bar.progress((i + 1) / len(new), text=f"{i + 1} of {len(new)} checked")
            refused = sum(1 for _, _, k in new if entries[k].plan.status == "rejected")
            status.update(
                label=f"Checked {len(new)} workbook{'s' if len(new) != 1 else ''}"
                + (f" - {refused} refused" if refused else "")
                + ". Nothing has been written yet.",
                state="error" if refused else "complete",
                expanded=False,
            )
    seen: set[str] = set()
    out = []
    for name, _, k in keyed:
        if k in handled and k not in seen:
            st.caption(plain(f"{name}: already imported or cancelled in this session."))
        elif k in entries and k not in seen:
            out.append(entries[k])
        seen.add(k)
    return out


def _read(con, name: str, data: bytes, key: str, quarter: str | None, read: Callable) -> Entry:
    import time

    t0 = time.perf_counter()
    try:
        plan = read(data, name, con, quarter=quarter)
    except Exception as exc:  # noqa: BLE001 - a reader bug must not take the page down
        from dashboard.importer.model import rejected

        plan = rejected(
            name,
            key,
            f"{name} could not be read ({exc.__class__.__name__}).",
            kind="internal-error",
        )
    return Entry(
        name=name,
        data=data,
        sha256=key,
        plan=plan,
        quarter_given=quarter,
        seconds=time.perf_counter() - t0,
    )


# ---------------------------------------------------------------------- callbacks


def _do_import(con, keys: list[str], who: str) -> None:
    entries = _state()
    for key in keys:
        entry = entries.get(key)
        if entry is None:
            continue
        try:
            result = importer.commit_plan(con, entry.plan, who)
        except Exception as exc:  # noqa: BLE001 - nothing was written (one transaction)
            message(
                "error",
                f"{entry.name}: the import failed and nothing was written "
                f"({exc.__class__.__name__}: {str(exc)[:200]}).",
            )
            continue
        kind = "success" if result.get("status") == "imported" else "info"
        message(kind, result_line(result))
        _handled().add(key)
        entries.pop(key, None)
    _maybe_empty_uploader()


def _do_cancel(key: str) -> None:
    entry = _state().pop(key, None)
    _handled().add(key)
    if entry is not None:
        what = "dismissed" if entry.plan.status == "rejected" else "cancelled"
        message("info", f"{entry.name}: {what}; nothing was written.")
    _maybe_empty_uploader()


def _do_undo(con, import_id: int, who: str) -> None:
    st.session_state.pop(UNDO, None)
    try:
        result = importer.undo_import(con, int(import_id), who)
    except Exception as exc:  # noqa: BLE001
        message(
            "error",
            f"Undo of import #{import_id} failed; nothing changed "
            f"({exc.__class__.__name__}: {str(exc)[:200]}).",
        )
        return
    if result.get("status") == "undone":
        restored = result.get("restored") or []
        extra = (
            f" The data it had replaced is back ({len(restored)} force-quarters)."
            if restored
            else ""
        )
        message(
            "success",
            f"Import #{import_id} undone: {result.get('reviews_removed', 0)} reviews removed. "
            f"The history keeps the event.{extra}",
        )
    else:
        message("error", f"Import #{import_id} was not undone: {result.get('reason') or result}")


def remove_demo(con, who: str) -> dict:
    """Undo every demo import and delete the demo's intervention log entries.

    Each undo is its own transaction and is logged; the import history keeps the events.
    """
    from analysis.training_needs import interventions
    from dashboard.demo import DEMO_WHO
    from dashboard.interventions import delete_intervention

    ids = demo_imports(importer.import_history(con))
    removed = 0
    for import_id in ids:
        result = importer.undo_import(con, import_id, who)
        removed += int(result.get("reviews_removed") or 0)
    log = interventions(con.cursor())
    demo_rows = log[log["created_by"] == DEMO_WHO]["intervention_id"] if len(log) else []
    for intervention_id in demo_rows:
        delete_intervention(con, int(intervention_id), who)
    return {"imports": len(ids), "reviews_removed": removed, "interventions": len(demo_rows)}


def _do_remove_demo(con, who: str) -> None:
    st.session_state.pop(REMOVE_DEMO, None)
    try:
        out = remove_demo(con, who)
    except Exception as exc:  # noqa: BLE001
        message(
            "error",
            f"Removing the demo data failed part way ({exc.__class__.__name__}); "
            "see the import history.",
        )
        return
    message(
        "success",
        f"Demo data removed: {out['imports']} imports undone ({out['reviews_removed']} reviews), "
        f"{out['interventions']} demo interventions deleted. The history keeps the events.",
    )


# ------------------------------------------------------------------------ drawing


def demo_notice(con, history: pd.DataFrame, who: str) -> None:
    """While demo data is loaded: say so, and offer to remove it (with a confirm step)."""
    ids = demo_imports(history)
    if not ids:
        return
    if st.session_state.get(REMOVE_DEMO):
        st.warning(
            f"Remove the demo data? This undoes {len(ids)} demo imports and deletes the demo's "
            "intervention log entries. Imports of real workbooks stay."
        )
        with st.container(horizontal=True):
            st.button(
                "Yes, remove the demo data",
                key="upl_demo_confirm",
                type="primary",
                on_click=_do_remove_demo,
                args=(con, who),
            )
            st.button(
                "No, keep it",
                key="upl_demo_keep",
                on_click=lambda: st.session_state.pop(REMOVE_DEMO, None),
            )
        return
    with st.container(horizontal=True, vertical_alignment="center"):
        st.info(
            f"The database holds the illustrative DEMO DATA ({len(ids)} imports). Remove it "
            "before loading the region's real workbooks, so the two never mix.",
            icon=":material/info:",
            width="stretch",
        )
        st.button(
            "Remove demo data...",
            key="upl_demo_start",
            on_click=lambda: st.session_state.__setitem__(REMOVE_DEMO, True),
        )


def report(
    con,
    entry: Entry,
    settings: Settings,
    question_text: dict[str, str],
    who: str,
    effects: Callable | None = None,
    read: Callable | None = None,
) -> None:
    """The validation report of one file, its quarter, its effects, Import and Cancel."""
    effects = effects or importer.plan_effects
    read = read or importer.read_workbook
    plan = entry.plan
    key = entry.sha256
    with st.container(border=True):
        st.markdown(f"#### {plain(entry.name)}")
        st.caption(
            f"SHA-256 {key[:12]} · {len(entry.data) / 1_000_000:.2f} MB · read in "
            f"{entry.seconds:.1f} s"
        )
        if plan.status == "rejected":
            st.error(plain(plan.reason or "refused"), icon=":material/block:")
            if needs_quarter(plan):
                _quarter_chooser(con, entry, read)
            st.button("Dismiss", key=f"upl_dismiss_{key}", on_click=_do_cancel, args=(key,))
            return
        _quarter_chooser(con, entry, read)

        st.text(summary_line(plan))
        st.dataframe(
            sheet_table(plan), hide_index=True, width="stretch", column_config=SHEET_CONFIG
        )
        st.dataframe(grade_counts_table(plan), hide_index=True, width="stretch")

        red = redaction_line(plan)
        if red:
            st.info(plain(red), icon=":material/visibility_off:")
        matches = match_table(plan, settings, question_text)
        if not matches.empty:
            st.markdown(
                f"**Question matches to check** ({len(matches)}, confidence below "
                f"{settings.low_match_confidence:.2f})"
            )
            st.dataframe(matches, hide_index=True, width="stretch")
        unmatched = unmatched_table(plan)
        if not unmatched.empty:
            st.markdown(
                f"**Rows that matched no question** ({len(unmatched)}): kept for "
                "review, not counted as answers"
            )
            st.dataframe(unmatched, hide_index=True, width="stretch")
        warnings = warning_table(plan)
        if not warnings.empty:
            with st.expander(f"Warnings ({len(warnings)})", expanded=len(warnings) <= 20):
                st.dataframe(warnings, hide_index=True, width="stretch")
        else:
            st.caption("No warnings.")

        try:
            entry.effects = effects(con, plan) or {}
        except Exception as exc:  # noqa: BLE001
            entry.effects = {}
            st.warning(plain(f"Could not check earlier imports ({exc.__class__.__name__})."))
        dup, replaces = effects_lines(entry.effects)
        if dup:
            st.info(plain(dup), icon=":material/content_copy:")
        for line in replaces:
            st.warning(plain(line), icon=":material/swap_horiz:")

        ok, why = can_import(entry)
        with st.container(horizontal=True, vertical_alignment="center"):
            st.button(
                "Import",
                key=f"upl_import_{key}",
                type="primary",
                disabled=not ok,
                on_click=_do_import,
                args=(con, [key], who),
                icon=":material/download_done:",
            )
            st.button("Cancel", key=f"upl_cancel_{key}", on_click=_do_cancel, args=(key,))
            if not ok and why:
                st.caption(plain(f"Import is not possible: {why}"))


def _quarter_chooser(con, entry: Entry, read: Callable) -> None:
    """The quarter: detected, or chosen (the file is then read again with ``quarter=``)."""
    plan, key = entry.plan, entry.sha256
    per_row = review_quarters(plan)
    if len(per_row) > 1 or (plan.quarter is None and per_row and plan.status != "rejected"):
        st.caption(plain("Quarters read from the rows: " + ", ".join(per_row)))
        return
    options = quarter_options(plan.quarter, ())
    current = plan.quarter.label if plan.quarter else None
    choice = st.selectbox(
        "Quarter",
        options,
        index=options.index(current) if current in options else None,
        placeholder=NO_QUARTER,
        key=f"upl_q_{key}",
        help="Detected from the workbook's title, sheet names or file name; change it "
        "if it is wrong. The file is read again with the quarter you choose.",
    )
    if plan.quarter is not None and plan.quarter_source:
        st.caption(plain(f"Quarter {plan.quarter.label}: {quarter_source(plan)}."))
    if choice and choice != current and choice != entry.quarter_given:
        with st.spinner(f"Reading the file again as {choice}..."):
            new = _read(con, entry.name, entry.data, key, choice, read)
        _state()[key] = new
        st.rerun()


def import_all_button(con, entries: list[Entry], who: str) -> None:
    ready = [e.sha256 for e in entries if can_import(e)[0]]
    if len(ready) > 1:
        st.button(
            f"Import all {len(ready)} checked workbooks",
            type="primary",
            key="upl_import_all",
            on_click=_do_import,
            args=(con, ready, who),
        )


def undo_controls(con, history: pd.DataFrame, who: str) -> None:
    """Pick an import, then confirm: undo is a two-step action."""
    rows = undoable(history)
    if not rows:
        st.caption("No imports to undo.")
        return
    by_id = {int(r["import_id"]): r for r in rows}
    pending = st.session_state.get(UNDO)
    if pending is not None and int(pending) in by_id:
        row = by_id[int(pending)]
        st.warning(
            plain(
                f"Undo import {undo_label(row)}? Its reviews stop counting everywhere in the "
                "dashboard; the import history and audit log keep the event."
            )
        )
        c1, c2, _ = st.columns([1, 1, 4])
        c1.button(
            "Yes, undo it",
            key="upl_undo_confirm",
            type="primary",
            on_click=_do_undo,
            args=(con, int(pending), who),
        )
        c2.button(
            "No, keep it", key="upl_undo_keep", on_click=lambda: st.session_state.pop(UNDO, None)
        )
        return
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    choice = c1.selectbox(
        "Undo an import",
        list(by_id),
        format_func=lambda i: undo_label(by_id[i]),
        key="upl_undo_choice",
    )
    c2.button(
        "Undo...",
        key="upl_undo_start",
        disabled=choice is None,
        on_click=lambda: st.session_state.__setitem__(UNDO, choice),
    )
