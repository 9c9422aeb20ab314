"""Review programme: who reviews whom, expected against received returns, what is overdue,
and a chaser email to copy for each force that is late."""

import datetime as dt

import streamlit as st

from analysis.programme import (
    chaser_text,
    programme_status,
    quarter_totals,
    quarters_not_uploaded,
    suggest_next_rota,
)
from dashboard.ui import data, filters
from dashboard.ui.cards import Tile, tiles
from dashboard.ui.programme import LEGEND, returns_matrix, returns_styler, rota_matrix
from dashboard.ui.tables import show_table
from dashboard.ui.text import plain

st.title("Review programme")
f = filters.filter_bar(show=("quarters", "forces", "risk"))
settings = data.settings()
desc = filters.describe(f)
c = st.columns([0.25, 0.75])
as_of = c[0].date_input(
    "Overdue as of", value=dt.date.today(), format="DD/MM/YYYY", key="prog_as_of"
)
c[1].caption(
    f"A quarter's returns (one case per risk level from each force, and its review) are due "
    f"{settings.returns_due_days} days after the quarter ends (setting `returns_due_days`). "
    f"Showing {desc}."
    + (" Sections do not apply here: a return is a whole case." if f.sections else "")
)

status = data.cached(programme_status, f, settings, as_of)  # one returns grid for all three
grid, items = status["grid"], status["items"]
totals = quarter_totals(grid)
suggested = data.frame(suggest_next_rota)
if len(totals):
    last = totals.iloc[-1]
    late_forces = items["force"].nunique() if len(items) else 0
    tiles(
        [
            Tile(
                f"Received, {last['quarter']}",
                f"{int(last['received'])}/{int(last['expected'])}",
                f"cases; {int(last['reviewed'])} reviewed; {int(last['complete'])} forces complete",
            ),
            Tile(
                "Overdue returns",
                f"{len(items):,}",
                f"from {late_forces} force{'s' if late_forces != 1 else ''}, as of {as_of:%d/%m/%Y}",
                delta_good_when_up=False,
            ),
            Tile(
                "Next quarter",
                suggested["quarter"].iloc[0] if len(suggested) else "-",
                "suggested rota below",
            ),
        ]
    )

st.subheader("Expected and received, force by quarter")
st.caption(LEGEND)
show_table(
    returns_matrix(grid),
    "returns received",
    key="prog_returns",
    filters_text=desc,
    style=returns_styler(grid),
    empty="No quarters with data for these filters.",
)
if len(grid):
    with st.expander("Per quarter, and one row per force and quarter", icon=":material/table:"):
        show_table(totals, "returns per quarter", key="prog_totals", filters_text=desc)
        show_table(
            grid.drop(columns=["quarter_idx"]),
            "returns by force and quarter",
            key="prog_grid",
            filters_text=desc,
        )

st.subheader("Overdue")
late_quarters = data.frame(quarters_not_uploaded, settings, as_of)
if len(late_quarters):
    st.warning(
        "No workbook uploaded yet for "
        + ", ".join(f"{r.quarter} (due {r.due_date:%d/%m/%Y})" for r in late_quarters.itertuples())
        + "."
    )
show_table(
    items.drop(columns=["quarter_idx"]) if len(items) else items,
    "overdue returns",
    key="prog_overdue",
    filters_text=desc,
    empty="Nothing is overdue for these filters.",
)

emails = status["emails"]
if emails:
    st.subheader("Chaser emails")
    st.caption(
        "A draft per force with overdue returns, to its SOMU lead and copied to the force "
        "reviewing its cases. Copy with the button at the top right of each draft."
    )
    for e in emails:
        with st.expander(plain(e["subject"]), expanded=len(emails) <= 2):
            st.code(chaser_text(e), language=None, wrap_lines=True)

st.subheader("Who reviews whom")
st.caption(
    "The force reviewing each force's cases, quarter by quarter, as the returns record it; "
    "'(no return)': the reviewer the quarter's rotation gives a force that sent nothing. "
    "The last column is a suggestion for the next quarter: no force reviews itself."
)
show_table(rota_matrix(grid, suggested), "review rota", key="prog_rota", filters_text=desc)
if len(suggested):
    st.caption("Suggested rota: " + suggested["basis"].iloc[0] + ".")
