"""Heatmap explorer: any rows by any columns, any metric; click a cell for its answers."""

import streamlit as st

from analysis.matrix import grade_matrix
from dashboard.ui import chrome, data, filters
from dashboard.ui.heatmap import COL_LABELS, METRICS, ROW_LABELS, cell_panel, heatmap
from dashboard.ui.tables import show_table

st.title("Heatmap explorer")
f = filters.filter_bar()
settings = data.settings()
c = st.columns(3)
with c[0]:
    rows = filters.url_choice(
        "Rows", list(ROW_LABELS), "rows", "question", format_func=ROW_LABELS.get
    )
with c[1]:
    cols = filters.url_choice(
        "Columns", list(COL_LABELS), "cols", "force", format_func=COL_LABELS.get
    )
with c[2]:
    metric = filters.url_choice("Metric", list(METRICS), "metric", "grade", format_func=METRICS.get)
st.caption(
    f"Showing {filters.describe(f)}. Hover a cell for n and its grade breakdown; "
    "click it to read the answers and feedback behind it."
)

m = data.frame(grade_matrix, f, rows, cols, settings)
cell = heatmap(
    m,
    rows=rows,
    cols=cols,
    metric=metric,
    key="explorer_heatmap",
    five=settings.five_grades,
    present=chrome.presenting(),
)
if cell:
    cell_panel(f, cell, m, key="explorer_cell")

with st.expander("The numbers behind the heatmap", icon=":material/table:"):
    show_table(
        m[
            [
                "row_key",
                "row_label",
                "section",
                "col_label",
                "n",
                "n_na",
                "avg_score",
                "grade",
                "share_failing",
                "share_good",
                "n_outstanding",
                "n_good",
                "n_adequate",
                "n_ri",
                "n_inadequate",
            ]
        ]
        if len(m)
        else m,
        f"heatmap {rows} by {cols}",
        key="explorer_table",
        filters_text=filters.describe(f),
        column_config={
            "avg_score": st.column_config.NumberColumn("average", format="%.2f"),
            "share_failing": st.column_config.NumberColumn("failing", format="percent"),
            "share_good": st.column_config.NumberColumn("good or better", format="percent"),
        },
    )
