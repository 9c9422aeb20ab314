"""The one-page quarter summary for the meeting: text a lead can paste, or an HTML page.

Headline figures always carry their n; then the returns received and missing, the open
repeat failures, the weakest questions of the quarter and what is working well (with a
few outstanding answers quoted). Free text (question text, feedback, officer names) is
escaped: Markdown specials in the text version, HTML entities in the HTML version.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from analysis.filters import Filters
from dashboard.vocab import OUTSTANDING, Quarter

TOP = 5


def _pct(share: float | None) -> str:
    return "-" if share is None or pd.isna(share) else f"{100 * share:.0f}%"


def quarter_summary(con, quarter: Quarter | str | None = None) -> dict:
    """The summary's content as plain data (lists of dicts), for any renderer."""
    from analysis.good_practice import good_practice
    from analysis.matrix import grade_matrix
    from analysis.overview import headline
    from analysis.repeat_failures import repeat_failures
    from dashboard.exports.regional import resolve_export_quarter
    from dashboard.settings import load_settings
    from dashboard.store import is_demo, load_forces

    cur = con.cursor()
    q = resolve_export_quarter(cur, quarter)
    settings = load_settings(con)
    upto = Filters(quarter_to=q.index)
    only = Filters(quarter_from=q.index, quarter_to=q.index)
    head = headline(cur, upto, settings)

    received = cur.execute(
        "SELECT force, count(*) AS reviews, any_value(reviewing_force) AS reviewing_force "
        "FROM reviews WHERE active AND quarter_idx = ? GROUP BY force",
        [q.index],
    ).fetchall()
    got = {f: (n, rf) for f, n, rf in received}
    forces = load_forces(con).names
    returns = [
        {"force": f, "reviews": got[f][0], "reviewing_force": got[f][1]} for f in forces if f in got
    ]
    returns += [
        {"force": f, "reviews": n, "reviewing_force": rf}
        for f, (n, rf) in got.items()
        if f not in forces
    ]
    missing = [f for f in forces if f not in got]

    rf = repeat_failures(cur, upto, settings)
    rf = rf[rf["current"]] if len(rf) else rf
    repeat = [
        {
            "force": r.force,
            "question_id": r.question_id,
            "question": r.question,
            "streak": int(r.streak),
            "quarters": list(r.quarters),
        }
        for r in rf.sort_values(["streak", "force", "question_id"], ascending=[False, True, True])
        .head(TOP)
        .itertuples()
    ]

    by_q = grade_matrix(cur, only, rows="question", cols="quarter", settings=settings)
    by_q = by_q[by_q["n"] > 0]
    weakest = [
        {
            "question_id": r.row_key,
            "question": r.row_label,
            "share_failing": r.share_failing,
            "n": int(r.n),
        }
        for r in by_q.sort_values(["share_failing", "n"], ascending=[False, False])
        .head(TOP)
        .itertuples()
        if r.share_failing and r.share_failing > 0
    ]
    by_qf = grade_matrix(cur, only, rows="question", cols="force", settings=settings)
    by_qf = by_qf[by_qf["n"] >= 2]
    ranked = by_qf.sort_values(["share_good", "n_outstanding", "n"], ascending=False)
    ranked = ranked[ranked.groupby("col_key").cumcount() < 2]  # at most two per force
    strong = [
        {
            "force": r.col_key,
            "question_id": r.row_key,
            "question": r.row_label,
            "share_good": r.share_good,
            "n": int(r.n),
            "n_outstanding": int(r.n_outstanding),
        }
        for r in ranked.head(TOP).itertuples()
    ]
    gp = good_practice(cur, only, (OUTSTANDING.name,))
    gp = gp[gp["feedback"].notna()] if len(gp) else gp
    examples, seen_f, seen_q = [], set(), set()
    for r in gp.itertuples():  # best first; one per force and question, three at most
        if r.force in seen_f or r.question_id in seen_q:
            continue
        seen_f.add(r.force)
        seen_q.add(r.question_id)
        examples.append(
            {
                "force": r.force,
                "question_id": r.question_id,
                "question": r.question,
                "feedback": r.feedback,
            }
        )
        if len(examples) == 3:
            break
    return {
        "quarter": q.label,
        "demo": is_demo(con),
        "headline": head,
        "returns": returns,
        "missing": missing,
        "repeat_failures": repeat,
        "weakest": weakest,
        "strong": strong,
        "examples": examples,
        "fail_share": settings.fail_share,
        "min_streak": settings.min_streak,
    }


# inline Markdown (and Streamlit's $ maths): the text never starts a line, so list and
# heading markers need no escape
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")


def md_escape(text: object) -> str:
    """Free text made inert in Markdown: every special character backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _lines(s: dict, esc) -> list[str]:
    h = s["headline"]
    out = [f"ARMS peer review - quarter summary - {s['quarter']}"]
    if s["demo"]:
        out.append("DEMO DATA - generated for demonstration, not real reviews.")
    out.append("")
    change = ""
    if h.get("change_pts") is not None:
        pts = round(h["change_pts"])
        moved = f"{pts:+d} points" if pts else "no change"
        change = f"; {moved} on {h.get('prev_quarter')} ({_pct(h.get('share_good_prev'))}, n={h.get('n_prev')})"
    out += [
        "Headline",
        f"- Reviews: {h.get('reviews', 0)} ({h.get('answers', 0)} answers, {h.get('n', 0)} graded)",
        f"- Good or better: {_pct(h.get('share_good'))} of graded answers (n={h.get('n', 0)}){change}",
        f"- Requires improvement or inadequate: {_pct(h.get('share_failing'))} (n={h.get('n', 0)})",
        f"- Open repeat failures (force x question, {s['min_streak']}+ failing quarters in a row): {h.get('open_repeat_failures', 0)}",
        "",
        "Returns",
    ]
    for r in s["returns"]:
        by = f", reviewed by {esc(r['reviewing_force'])}" if r["reviewing_force"] else ""
        out.append(f"- {esc(r['force'])}: {r['reviews']} reviews{by}")
    if s["missing"]:
        out.append(f"- Missing: {', '.join(esc(f) for f in s['missing'])}")
    out += ["", "Repeat failures still open"]
    if not s["repeat_failures"]:
        out.append("- none")
    for r in s["repeat_failures"]:
        out.append(
            f"- {esc(r['force'])}, {esc(r['question_id'])} {esc(r['question'])}: "
            f"{r['streak']} quarters ({esc(r['quarters'][0])} to {esc(r['quarters'][-1])})"
        )
    out += ["", "Weakest questions this quarter (region)"]
    if not s["weakest"]:
        out.append("- none")
    for r in s["weakest"]:
        out.append(
            f"- {esc(r['question_id'])} {esc(r['question'])}: {_pct(r['share_failing'])} failing (n={r['n']})"
        )
    out += ["", "What is working well"]
    if not s["strong"]:
        out.append("- nothing graded yet")
    for r in s["strong"]:
        out.append(
            f"- {esc(r['force'])}, {esc(r['question_id'])} {esc(r['question'])}: "
            f"{_pct(r['share_good'])} good or better, {r['n_outstanding']} outstanding (n={r['n']})"
        )
    if s["examples"]:
        out += ["", "Outstanding answers to learn from"]
        for r in s["examples"]:
            out.append(f'- {esc(r["force"])}, {esc(r["question_id"])}: "{esc(r["feedback"])}"')
    out += [
        "",
        f"Shares are of graded answers (N/A and ungraded left out); a force fails a question in a "
        f"quarter when at least {s['fail_share']:.0%} of its graded answers are failures. "
        "Small numbers: one case per force and risk level each quarter.",
    ]
    return out


def quarter_summary_text(con, quarter: Quarter | str | None = None) -> str:
    """The summary as Markdown-safe text to paste into an email, chat or slide notes."""
    return "\n".join(_lines(quarter_summary(con, quarter), md_escape)) + "\n"


def quarter_summary_html(con, quarter: Quarter | str | None = None) -> str:
    """A self-contained HTML page (no scripts, no external files), every text escaped."""
    s = quarter_summary(con, quarter)
    lines = _lines(s, lambda t: html.escape(" ".join(str(t).split())))
    body, in_list = [], False
    for i, line in enumerate(lines):
        if i == 0:
            body.append(f"<h1>{line}</h1>")
        elif line.startswith("- "):
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{line[2:]}</li>")
        else:
            if in_list:
                body.append("</ul>")
                in_list = False
            if not line:
                continue
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            tag = "h2" if nxt.startswith("- ") else "p"
            body.append(f"<{tag}>{line}</{tag}>")
    if in_list:
        body.append("</ul>")
    title = html.escape(f"ARMS peer review - {s['quarter']}")
    css = (
        "body{font-family:Segoe UI,Arial,sans-serif;max-width:60em;margin:2em auto;"
        "font-size:16px;line-height:1.4}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.2em}"
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{css}</style></head><body>{''.join(body)}</body></html>\n"
    )
