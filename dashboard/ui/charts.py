"""Small Plotly charts for the pages; every point carries its n (hover and, where room, label).

Free text that reaches Plotly (question wording, force names) is escaped with
``heatmap.plain`` first: Plotly renders a little HTML in labels and hovers.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard.ui.heatmap import plain
from dashboard.vocab import grade_scale

Y_LABELS = {
    "avg_score": "Average grade (4 = Outstanding, 1 = Inadequate)",
    "share_failing": "Share failing",
    "share_good": "Share good or better",
}


def _grade_axis(fig: go.Figure, five: bool = False) -> None:
    scale = grade_scale(five)
    fig.update_yaxes(
        range=[0.8, 4.2], tickvals=[g.score for g in scale], ticktext=[g.short for g in scale]
    )


def trend_chart(
    df: pd.DataFrame,
    y: str = "share_failing",
    *,
    color: str | None = None,
    facet: str | None = None,
    wrap: int = 3,
    height: int | None = None,
    five: bool = False,
    title: str | None = None,
) -> go.Figure:
    """A line per ``color`` (or one line) over quarters; hover shows n; facets for small multiples."""
    d = df.copy()
    for col in (color, facet):
        if col:
            d[col] = d[col].map(plain)
    d["n_text"] = d["n"].map(lambda v: f"n={int(v)}")
    fig = px.line(
        d,
        x="quarter",
        y=y,
        color=color,
        facet_col=facet,
        facet_col_wrap=wrap if facet else 0,
        markers=True,
        custom_data=["n"],
        text="n_text" if not facet else None,
        category_orders={"quarter": list(dict.fromkeys(d.sort_values("quarter_idx")["quarter"]))},
    )
    fmt = ".0%" if y.startswith("share") else ".2f"
    fig.update_traces(
        hovertemplate="%{x}<br>"
        + Y_LABELS.get(y, y)
        + ": %{y:"
        + fmt
        + "}<br>n = %{customdata[0]} graded answers<extra>%{fullData.name}</extra>",
        textposition="top center",
        textfont=dict(size=10),
    )
    if y.startswith("share"):
        top = float(d[y].max()) if len(d) and d[y].notna().any() else 0.0
        fig.update_yaxes(tickformat=".0%", range=[0, min(1.05, max(0.25, top * 1.25))])
    elif y == "avg_score":
        _grade_axis(fig, five)
    if facet:
        fig.for_each_annotation(lambda a: a.update(text=a.text.split("=", 1)[-1]))
        rows = -(-d[facet].nunique() // wrap)
        height = height or 230 * rows + 60
    fig.update_layout(
        height=height or 360,
        margin=dict(l=10, r=10, t=40 if title else 20, b=10),
        legend_title_text="",
        title=plain(title) if title else None,
        hovermode="closest",
    )
    fig.update_xaxes(title=None)
    fig.update_yaxes(title=None)
    return fig


@st.cache_data(show_spinner=False, max_entries=256)
def trend_figure(df: pd.DataFrame, y: str = "share_failing", **kwargs) -> dict:
    """``trend_chart`` as a figure dict, cached on the frame's content: Plotly Express takes
    a third of a second to lay out a dozen facets, a cached dict a hundredth."""
    return trend_chart(df, y, **kwargs).to_plotly_json()


def show(fig: go.Figure | dict, key: str) -> None:
    st.plotly_chart(fig, key=key, width="stretch", config={"displayModeBar": False})
