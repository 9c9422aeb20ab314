"""The review programme: who reviews whom each quarter, expected against received returns,
what is overdue, and the chaser emails that follow.

Each quarter every force sends one case per risk level (``RISK_LEVELS``) and a different
force reviews them. A *return* is one case: *received* when an active review of that force,
quarter and risk level is in the database, *reviewed* when at least one of its answers has
a grade (or N/A). A quarter's returns are due ``returns_due_days`` after the quarter ends.

Pure functions over the store; ``as_of`` (the day the question is asked) is a parameter so
the answers are reproducible.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd

from analysis.filters import Filters
from analysis.measures import run, settings_or_default
from dashboard.settings import Settings
from dashboard.vocab import RISK_LEVELS, Quarter

# one row per force, quarter, risk level and reviewing force: how many active reviews, and
# how many of them carry at least one grade (N/A included)
RETURNS_SQL = """
WITH graded AS (
    SELECT review_id, count(grade) AS graded FROM answers GROUP BY review_id
)
SELECT r.quarter_idx, r.force, r.risk_level, r.reviewing_force,
       count(*) AS reviews,
       count(*) FILTER (WHERE coalesce(g.graded, 0) > 0) AS reviewed
FROM reviews r LEFT JOIN graded g USING (review_id)
WHERE r.active AND {where}
GROUP BY ALL
"""

FORCE_NAMES_SQL = """
WITH seen AS (SELECT DISTINCT force FROM reviews WHERE active
              UNION SELECT DISTINCT reviewing_force FROM reviews
              WHERE active AND reviewing_force IS NOT NULL)
SELECT coalesce(f.force, s.force) AS force, coalesce(f.full_name, s.force) AS full_name
FROM (SELECT force, full_name, rowid AS pos FROM forces) f
FULL JOIN seen s USING (force)
ORDER BY f.pos NULLS LAST, force
"""

QUARTER_SPAN_SQL = "SELECT min(quarter_idx), max(quarter_idx) FROM reviews WHERE active"

STATUS_COMPLETE = "complete"
STATUS_PARTIAL = "partial"
STATUS_MISSING = "missing"
STATUS_NOT_DUE = "not yet due"


def due_date(quarter_idx: int, settings: Settings | None = None) -> dt.date:
    """The day a quarter's returns are due: ``returns_due_days`` after the quarter ends."""
    days = settings_or_default(settings).returns_due_days
    return Quarter.from_index(int(quarter_idx)).end + dt.timedelta(days=days)


def force_names(cur) -> pd.DataFrame:
    """Every configured force (the region's order) and any other force in the data: force,
    full_name."""
    return run(cur, FORCE_NAMES_SQL)


def _scope(filters: Filters) -> Filters:
    """The filters that apply to returns: quarters and forces (sections, questions and
    officers describe answers, not returns; risk levels set what is expected)."""
    return Filters(
        quarter_from=filters.quarter_from, quarter_to=filters.quarter_to, forces=filters.forces
    )


def _returns(cur, filters: Filters) -> pd.DataFrame:
    where, params = _scope(filters).where("r")
    return run(cur, RETURNS_SQL.format(where=where), params)


def _expected_levels(filters: Filters) -> list[str]:
    return [r for r in RISK_LEVELS if not filters.risk_levels or r in filters.risk_levels]


def _quarter_span(cur, filters: Filters) -> list[int]:
    """Every quarter from the first to the last with data (within the filters), gaps too."""
    lo, hi = cur.execute(QUARTER_SPAN_SQL).fetchone()
    if lo is None:
        return []
    if filters.quarter_from is not None:
        lo = max(lo, filters.quarter_from)
    if filters.quarter_to is not None:
        hi = min(hi, filters.quarter_to)
    return list(range(int(lo), int(hi) + 1))


# ------------------------------------------------------------------------------ rota


def rota(cur, filters: Filters | None = None) -> pd.DataFrame:
    """Who reviewed whom, per quarter with data: quarter_idx, quarter, force,
    reviewing_force, reviews (forces without a return that quarter are absent)."""
    filters = filters or Filters()
    df = _returns(cur, filters)
    cols = ["quarter_idx", "quarter", "force", "reviewing_force", "reviews"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df.assign(reviewing_force=df["reviewing_force"].fillna(""))
    out = df.groupby(["quarter_idx", "force", "reviewing_force"], as_index=False)["reviews"].sum()
    out["reviewing_force"] = out["reviewing_force"].replace("", None)
    out["quarter"] = out["quarter_idx"].map(lambda i: Quarter.from_index(int(i)).label)
    order = {f: i for i, f in enumerate(force_names(cur)["force"])}
    out["_pos"] = out["force"].map(lambda f: order.get(f, len(order)))
    out = out.sort_values(["quarter_idx", "_pos", "reviews"], ascending=[True, True, False])
    return out[cols].reset_index(drop=True)


def _shift(pairs: dict[str, str], order: list[str]) -> int | None:
    """The rotation step (reviewer position minus force position, modulo the number of
    forces) when every observed pair agrees on it, else None."""
    n = len(order)
    pos = {f: i for i, f in enumerate(order)}
    shifts = {(pos[r] - pos[f]) % n for f, r in pairs.items() if f in pos and r in pos and r != f}
    if len(shifts) != 1 or any(r not in pos or f not in pos for f, r in pairs.items()):
        return None
    return shifts.pop()


def _pairs_by_quarter(df: pd.DataFrame) -> dict[int, dict[str, str]]:
    """quarter_idx -> {force: the reviewing force with most reviews}."""
    out: dict[int, dict[str, str]] = {}
    for r in df.dropna(subset=["reviewing_force"]).itertuples():
        out.setdefault(int(r.quarter_idx), {}).setdefault(r.force, r.reviewing_force)
    return out


def _fill_reviewers(pairs: dict[str, str], order: list[str]) -> dict[str, str]:
    """``pairs`` completed for the forces without a return: their place in the quarter's
    rotation (when the forces present follow one), else the one reviewer left over."""
    pairs = dict(pairs)
    missing = [f for f in order if f not in pairs]
    if not missing or len(order) < 2:
        return pairs
    s = _shift(pairs, order) if pairs else None
    if s is not None:
        for f in missing:
            pairs[f] = order[(order.index(f) + s) % len(order)]
        return pairs
    free = [r for r in order if r not in set(pairs.values())]
    for f in missing:
        options = [r for r in free if r != f]
        if len(options) == 1:
            pairs[f] = options[0]
            free.remove(options[0])
    return pairs


def expected_reviewers(cur, quarter_idx: int) -> dict[str, str]:
    """Who reviews (or was due to review) each force in a quarter: what the data says, and
    for a force without a return, its place in that quarter's rotation (when the forces
    present follow one), else the one reviewer left over."""
    order = list(force_names(cur)["force"])
    seen = _pairs_by_quarter(rota(cur, Filters(quarter_from=quarter_idx, quarter_to=quarter_idx)))
    return _fill_reviewers(seen.get(int(quarter_idx), {}), order)


def suggest_next_rota(cur) -> pd.DataFrame:
    """The rota for the quarter after the latest with data, as a suggestion: quarter,
    force, reviewing_force, basis.

    Each quarter with data that is a rotation of the region's force order (every force
    reviewed by the force ``s`` places after it) gives a step ``s``; the suggestion
    continues the steps seen (e.g. 4 then 5 gives 1 next: the step 0, a force reviewing
    itself, is skipped). Without such a pattern it picks the rotation that repeats the
    fewest recent pairings. No force ever reviews itself.
    """
    cols = ["quarter", "force", "reviewing_force", "basis"]
    order = list(force_names(cur)["force"])
    seen = _pairs_by_quarter(rota(cur))
    lo, hi = cur.execute(QUARTER_SPAN_SQL).fetchone()
    n = len(order)
    if hi is None or n < 2:
        return pd.DataFrame(columns=cols)
    nxt = int(hi) + 1
    shifts = {q: s for q, p in seen.items() if (s := _shift(p, order)) is not None}
    steps = sorted(shifts)
    if steps:
        last = steps[-1]
        if len(steps) >= 2:
            prev = steps[-2]
            # positions on the cycle 1..n-1 (0 would be a force reviewing itself)
            per_quarter = ((shifts[last] - 1) - (shifts[prev] - 1)) % (n - 1)
            gap = last - prev
            step = per_quarter // gap if per_quarter % gap == 0 else per_quarter
        else:
            step = 1
        s = (shifts[last] - 1 + step * (nxt - last)) % (n - 1) + 1
        basis = (
            f"continues the rotation seen up to {Quarter.from_index(last).label} "
            f"(each force reviewed by the force {s} place{'s' if s > 1 else ''} after it)"
        )
    else:
        recent = [seen[q] for q in sorted(seen)[-(n - 1) :]]
        used = Counter((f, r) for p in recent for f, r in p.items())

        def repeats(k: int) -> int:
            return sum(used[(f, order[(i + k) % n])] for i, f in enumerate(order))

        s = min(range(1, n), key=lambda k: (repeats(k), k))
        basis = "a rotation repeating the fewest recent pairings (no regular pattern seen)"
    label = Quarter.from_index(nxt).label
    rows = [
        {"quarter": label, "force": f, "reviewing_force": order[(i + s) % n], "basis": basis}
        for i, f in enumerate(order)
    ]
    return pd.DataFrame(rows, columns=cols)


# ------------------------------------------------------------------ expected, received


def returns_grid(
    cur, filters: Filters, settings: Settings | None = None, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Expected against received returns, one row per force and quarter (every quarter
    from the first to the last with data, every configured force):

    quarter_idx, quarter, force, reviewing_force, expected, received (risk levels with a
    case), reviewed (of those, with a graded review), reviews (active reviews, all levels),
    no_level (reviews without a risk level), missing (risk levels with no case),
    not_reviewed (risk levels sent but not graded), due_date, overdue (bool), status
    (complete | partial | missing | not yet due), label (e.g. ``3/4 - missing High``).
    """
    settings = settings_or_default(settings)
    as_of = as_of or dt.date.today()
    levels = _expected_levels(filters)
    cols = [
        "quarter_idx",
        "quarter",
        "force",
        "reviewing_force",
        "expected",
        "received",
        "reviewed",
        "reviews",
        "no_level",
        "missing",
        "not_reviewed",
        "due_date",
        "overdue",
        "status",
        "label",
    ]
    span = _quarter_span(cur, filters)
    forces = [f for f in force_names(cur)["force"] if not filters.forces or f in filters.forces]

    if not span or not forces:
        return pd.DataFrame(columns=cols)
    df = _returns(cur, filters)
    # (quarter, force) -> [reviews, levels received, levels reviewed, reviews without a level]
    by_key: dict[tuple[int, str], list] = {}
    for qi, force, level, n, done in zip(
        df["quarter_idx"].tolist(),
        df["force"].tolist(),
        df["risk_level"].tolist(),
        df["reviews"].tolist(),
        df["reviewed"].tolist(),
        strict=True,
    ):
        acc = by_key.setdefault((int(qi), force), [0, set(), set(), 0])
        acc[0] += int(n)
        if level in levels:
            acc[1].add(level)
            if done:
                acc[2].add(level)
        elif level is None or pd.isna(level):
            acc[3] += int(n)
    order = list(force_names(cur)["force"])
    seen = _pairs_by_quarter(rota(cur, Filters(quarter_from=span[0], quarter_to=span[-1])))
    reviewers = {q: _fill_reviewers(seen.get(q, {}), order) for q in span}
    rows = []
    for qi in span:
        due = due_date(qi, settings)
        for force in forces:
            reviews, got, graded, no_level = by_key.get((qi, force), (0, set(), set(), 0))
            missing = [lv for lv in levels if lv not in got]
            not_reviewed = [lv for lv in levels if lv in got and lv not in graded]
            complete = not missing and not not_reviewed
            overdue = not complete and as_of > due
            if complete:
                status = STATUS_COMPLETE
            elif not overdue:
                status = STATUS_NOT_DUE
            elif got:
                status = STATUS_PARTIAL
            else:
                status = STATUS_MISSING
            rows.append(
                {
                    "quarter_idx": qi,
                    "quarter": Quarter.from_index(qi).label,
                    "force": force,
                    "reviewing_force": reviewers[qi].get(force),
                    "expected": len(levels),
                    "received": len(got),
                    "reviewed": len(graded),
                    "reviews": reviews,
                    "no_level": no_level,
                    "missing": missing,
                    "not_reviewed": not_reviewed,
                    "due_date": due,
                    "overdue": overdue,
                    "status": status,
                    "label": _label(len(levels), len(got), missing, not_reviewed, no_level, due)
                    if status != STATUS_COMPLETE
                    else f"{len(got)}/{len(levels)}",
                }
            )
    return pd.DataFrame(rows, columns=cols)


def _label(expected, received, missing, not_reviewed, no_level, due) -> str:
    parts = [f"{received}/{expected}"]
    if received == 0:
        parts.append("missing")
    elif missing:
        parts.append("missing " + ", ".join(missing))
    if not_reviewed:
        parts.append("not reviewed " + ", ".join(not_reviewed))
    text = " - ".join(parts[:2]) + ("; " + parts[2] if len(parts) > 2 else "")
    if no_level:
        text += f" (+{no_level} without a risk level)"
    return text


def quarter_totals(grid: pd.DataFrame) -> pd.DataFrame:
    """Per quarter: expected, received (cases), reviewed, forces complete, forces overdue."""
    cols = ["quarter_idx", "quarter", "expected", "received", "reviewed", "complete", "overdue"]
    if grid.empty:
        return pd.DataFrame(columns=cols)
    out = grid.groupby(["quarter_idx", "quarter"], as_index=False).agg(
        expected=("expected", "sum"),
        received=("received", "sum"),
        reviewed=("reviewed", "sum"),
        complete=("status", lambda s: int((s == STATUS_COMPLETE).sum())),
        overdue=("overdue", "sum"),
    )
    return out[cols]


# ------------------------------------------------------------------- overdue, chasers


def overdue_items(
    cur, filters: Filters, settings: Settings | None = None, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Each return past its due date: quarter, force, risk_level, item ("case not
    received" or "review not done"), reviewing_force (who reviews it that quarter, from the
    data or the rotation), due_date, days_overdue. Oldest first."""
    as_of = as_of or dt.date.today()
    grid = returns_grid(cur, filters, settings, as_of)
    return _overdue_from_grid(grid, list(force_names(cur)["force"]), as_of)


def _overdue_from_grid(grid: pd.DataFrame, order: list[str], as_of: dt.date) -> pd.DataFrame:
    """``overdue_items`` from a ``returns_grid``; ``order``: the region's force order."""
    cols = [
        "quarter_idx",
        "quarter",
        "force",
        "risk_level",
        "item",
        "reviewing_force",
        "due_date",
        "days_overdue",
    ]
    rows = []
    for r in grid[grid["overdue"]].itertuples() if len(grid) else []:
        for lv, item in [(lv, "case not received") for lv in r.missing] + [
            (lv, "review not done") for lv in r.not_reviewed
        ]:
            rows.append(
                {
                    "quarter_idx": r.quarter_idx,
                    "quarter": r.quarter,
                    "force": r.force,
                    "risk_level": lv,
                    "item": item,
                    "reviewing_force": r.reviewing_force,
                    "due_date": r.due_date,
                    "days_overdue": (as_of - r.due_date).days,
                }
            )
    out = pd.DataFrame(rows, columns=cols)
    if len(out):
        level = {lv: i for i, lv in enumerate(RISK_LEVELS)}
        force = {f: i for i, f in enumerate(order)}
        out = out.assign(_f=out["force"].map(force), _lv=out["risk_level"].map(level))
        out = out.sort_values(["quarter_idx", "_f", "_lv"], kind="stable")
        out = out.drop(columns=["_f", "_lv"]).reset_index(drop=True)
    return out


def quarters_not_uploaded(
    cur, settings: Settings | None = None, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Quarters after the latest with data whose returns are already due: quarter,
    due_date (nothing uploaded for them at all)."""
    as_of = as_of or dt.date.today()
    _, hi = cur.execute(QUARTER_SPAN_SQL).fetchone()
    rows = []
    if hi is not None:
        qi = int(hi) + 1
        while due_date(qi, settings) < as_of:
            rows.append(
                {"quarter": Quarter.from_index(qi).label, "due_date": due_date(qi, settings)}
            )
            qi += 1
    return pd.DataFrame(rows, columns=["quarter", "due_date"])


def _date(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def chaser_emails(
    cur,
    filters: Filters,
    settings: Settings | None = None,
    as_of: dt.date | None = None,
    sender: str = "Regional peer review coordinator",
    *,
    items: pd.DataFrame | None = None,
) -> list[dict]:
    """One plain-text email draft per force with overdue returns: force, to, cc, subject,
    body. Addressed to the force's SOMU lead, copied to the SOMU lead of each force due to
    review its cases; it lists every missing case and review by quarter. ``items``: the
    ``overdue_items`` for the same arguments, when the caller has them already."""
    settings = settings_or_default(settings)
    as_of = as_of or dt.date.today()
    if items is None:
        items = overdue_items(cur, filters, settings, as_of)
    if items.empty:
        return []
    full = dict(force_names(cur).itertuples(index=False, name=None))
    out = []
    for force, grp in items.groupby("force", sort=False):
        reviewers = [r for r in dict.fromkeys(grp["reviewing_force"].dropna()) if r != force]
        quarters = list(dict.fromkeys(grp["quarter"]))
        lines = [
            f"Dear SOMU lead, {full.get(force, force)},",
            "",
            "The ARMS peer review programme is waiting for the following "
            f"{'return' if len(grp) == 1 else 'returns'} from {force}:",
            "",
        ]
        for _, qg in grp.groupby("quarter_idx", sort=True):
            first = qg.iloc[0]
            rev = first["reviewing_force"]
            lines.append(
                f"{first['quarter']} (due {_date(first['due_date'])}, "
                f"{int(first['days_overdue'])} days overdue)"
                + (f", reviewing force {rev}:" if rev else ":")
            )
            for r in qg.itertuples():
                lines.append(f"  - {r.risk_level} risk case: {r.item}")
            lines.append("")
        sent = grp[grp["item"] == "case not received"]
        undone = grp[grp["item"] == "review not done"]
        if len(sent):
            lines.append(
                "Please send the missing case(s) to the reviewing force, one ARMS per risk "
                "level completed in the previous quarter."
            )
        if len(undone):
            lines.append("Reviewing force: please complete and return the outstanding review(s).")
        lines += [
            "If there is a reason for the delay, reply and let me know when to expect them.",
            "",
            "Thank you,",
            sender,
        ]
        out.append(
            {
                "force": force,
                "to": f"SOMU lead, {full.get(force, force)}",
                "cc": "; ".join(
                    f"SOMU lead, {full.get(r, r)} (reviewing force)" for r in reviewers
                ),
                "subject": f"ARMS peer review: overdue returns from {force} ({', '.join(quarters)})",
                "body": "\n".join(lines),
            }
        )
    return out


def programme_status(
    cur, filters: Filters, settings: Settings | None = None, as_of: dt.date | None = None
) -> dict:
    """What the Review programme page shows, from one ``returns_grid``: {"grid":
    returns_grid, "items": overdue_items, "emails": chaser_emails} for the same arguments
    (each of those alone would work the grid out again)."""
    settings = settings_or_default(settings)
    as_of = as_of or dt.date.today()
    grid = returns_grid(cur, filters, settings, as_of)
    items = _overdue_from_grid(grid, list(force_names(cur)["force"]), as_of)
    emails = chaser_emails(cur, filters, settings, as_of, items=items)
    return {"grid": grid, "items": items, "emails": emails}


def chaser_text(email: dict) -> str:
    """An email draft as one block of text to copy."""
    head = [f"To: {email['to']}"]
    if email.get("cc"):
        head.append(f"Cc: {email['cc']}")
    head.append(f"Subject: {email['subject']}")
    return "\n".join(head) + "\n\n" + email["body"]
