"""Regional overview: the quarterly meeting screen."""

import streamlit as st

from analysis.matrix import grade_matrix
from analysis.overview import meeting, quarters
from dashboard.ui import chrome, data, filters
from dashboard.ui.cards import Tile, pct, pts, tiles
from dashboard.ui.heatmap import cell_panel, heatmap
from dashboard.ui.tables import show_table
from dashboard.vocab import GOOD, REQUIRES_IMPROVEMENT, parse_quarter

st.title("Regional overview")
f = filters.filter_bar(show=("forces", "risk", "sections"))
settings = data.settings()
labels = list(data.frame(quarters)["quarter"])
top = st.columns([0.25, 0.75])
with top[0]:
    label = filters.url_choice("Quarter", labels, "quarter", default=labels[-1] if labels else None)
q_idx = parse_quarter(label).index
upto = f.but(quarter_from=None, quarter_to=q_idx)
one = f.but(quarter_from=q_idx, quarter_to=q_idx)
top[1].caption(f"Showing {filters.describe(one)}.")

# the tiles and the repeat failures table share one pass over the streaks
screen = data.cached(meeting, upto, settings)
h = screen["headline"]
prev = h.get("prev_quarter")
tiles(
    [
        Tile(
            "Reviews", f"{h['reviews']:,}", f"{h['answers']:,} answers in {h['quarter'] or label}"
        ),
        Tile(
            "Good or better",
            pct(h["share_good"]),
            f"of n = {h['n']:,} graded answers",
            help="Outstanding or Good, as a share of graded answers (N/A and ungraded left out).",
        ),
        Tile(
            "Change on last quarter",
            pts(h["change_pts"]) or "-",
            f"good or better in {prev}: {pct(h['share_good_prev'])} of n = {h['n_prev']:,}"
            if prev
            else "no earlier quarter",
            help="Percentage points of good or better answers, this quarter minus the previous quarter with data.",
        ),
        Tile(
            "Open repeat failures",
            f"{h['open_repeat_failures']:,}",
            f"force x question failing {settings.min_streak}+ quarters in a row, still failing",
            delta_good_when_up=False,
        ),
    ]
)

st.subheader(f"Grades by question and force, {label}")
st.caption(
    "Each cell: the grade nearest the average of the answers (the average when n > 1); "
    "an average exactly between two grades shows the lower one (two "
    f"{GOOD.name} and two {REQUIRES_IMPROVEMENT.name} show {REQUIRES_IMPROVEMENT.name}). "
    "Hover for n and the breakdown; click a cell to read the answers and feedback."
)
m = data.frame(grade_matrix, one, "question", "force", settings)
cell = heatmap(
    m,
    rows="question",
    cols="force",
    key="overview_heatmap",
    five=settings.five_grades,
    present=chrome.presenting(),
    expected_cols=list(
        f.forces or filters.dimensions()["forces"]
    ),  # a missing return stays visible
)
if cell:
    cell_panel(one, cell, m, key="overview_cell")

left, right = st.columns(2)
with left:
    st.subheader("Top repeat failures")
    rf = screen["repeat_failures"]
    if len(rf):
        rf = rf[rf["current"]].sort_values(
            ["streak", "force", "question_id"], ascending=[False, True, True]
        )
    st.caption(f"Current streaks of {settings.min_streak}+ failing quarters up to {label}.")
    show_table(
        rf.head(10)[["force", "question_id", "question", "streak", "first_quarter", "last_quarter"]]
        if len(rf)
        else rf,
        "top repeat failures",
        key="overview_rf",
        empty="No open repeat failures.",
    )
with right:
    st.subheader("What is working well")
    region = data.frame(grade_matrix, one, "question", "quarter", settings)
    if len(region):
        region = region[region["n"] > 0].sort_values(["avg_score", "n"], ascending=[False, False])
        region = region.head(8)[
            ["row_key", "row_label", "avg_score", "share_good", "n_outstanding", "n"]
        ]
        region = region.rename(columns={"row_key": "question_id", "row_label": "question"})
    st.caption(
        f"Questions with the best average grade in {label} across the selection (n = graded answers)."
    )
    show_table(
        region,
        "working well",
        key="overview_good",
        column_config={
            "avg_score": st.column_config.NumberColumn("average", format="%.2f"),
            "share_good": st.column_config.NumberColumn("good or better", format="percent"),
        },
    )
