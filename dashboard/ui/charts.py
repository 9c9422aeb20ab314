"""Small Plotly charts for the pages; every point carries its n (hover and, where room, label).

Built with ``plotly.graph_objects`` from plain lists (one pass over the frame's columns):
Plotly Express took ~10x longer to lay out the same small multiples (a tenth of a second for
a dozen facets at national scale). The layout is what Express made: one line per series or
per facet, the theme's colours in order, shared axes, the facet's name above its panel.

Free text that reaches Plotly (question wording, force names) is escaped with
``heatmap.plain`` first: Plotly renders a little HTML in labels and hovers.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from dashboard.ui.heatmap import plain
from dashboard.vocab import grade_scale

Y_LABELS = {
    "avg_score": "Average grade (4 = Outstanding, 1 = Inadequate)",
    "share_failing": "Share failing",
    "share_good": "Share good or better",
}

# small multiples: gaps between panels (fractions of the plot), as Plotly Express spaced them
H_GAP = 0.02
V_GAP = 0.07


def _colours() -> list[str | None]:
    """The default template's colour sequence (Streamlit's stands for its theme colours)."""
    try:
        way = pio.templates[pio.templates.default].layout.colorway
    except (KeyError, ValueError, TypeError):
        way = None
    return list(way) if way else [None]


def _y_axis(y: str, ys: list, five: bool) -> dict:
    if y.startswith("share"):
        vals = [v for v in ys if v is not None]
        top = max(vals) if vals else 0.0
        return {"tickformat": ".0%", "range": [0, min(1.05, max(0.25, top * 1.25))]}
    if y == "avg_score":
        scale = grade_scale(five)
        return {
            "range": [0.8, 4.2],
            "tickvals": [g.score for g in scale],
            "ticktext": [g.short for g in scale],
        }
    return {}


def _num(v: object) -> float | None:
    if v is None:
        return None
    f = float(v)
    return None if math.isnan(f) else f


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
    """A line per ``color`` (or one line) over quarters; hover shows n; facets for small multiples.

    ``df`` has ``quarter``, ``quarter_idx``, ``n`` and ``y`` (and the ``color`` / ``facet``
    column). Points run in quarter order; series and panels in order of first appearance.
    """
    group = facet or color
    qs = df["quarter"].tolist()
    qi = df["quarter_idx"].tolist()
    ns = df["n"].tolist()
    ys = [_num(v) for v in df[y].tolist()] if y in df.columns else [None] * len(qs)
    keys = df[group].tolist() if group else [""] * len(qs)

    order = sorted(range(len(qs)), key=qi.__getitem__)  # stable: ties keep the frame's order
    x_order = list(dict.fromkeys(qs[i] for i in order))
    series: dict[object, list[int]] = {}
    for i in range(len(qs)):  # first appearance, as Plotly Express ordered them
        series.setdefault(keys[i], [])
    for i in order:
        series[keys[i]].append(i)

    fmt = ".0%" if y.startswith("share") else ".2f"
    hover = (
        "%{x}<br>"
        + Y_LABELS.get(y, y)
        + ": %{y:"
        + fmt
        + "}<br>n = %{customdata[0]} graded answers<extra>%{fullData.name}</extra>"
    )
    colours = _colours()
    y_axis = _y_axis(y, ys, five)
    traces = []
    for k, (key, idx) in enumerate(series.items()):
        name = plain(key) if group else ""
        line_colour = colours[k % len(colours)] if color else colours[0]
        trace = {
            "type": "scatter",
            "x": [qs[i] for i in idx],
            "y": [ys[i] for i in idx],
            "customdata": [[int(ns[i])] for i in idx],
            "name": name,
            "legendgroup": name,
            "showlegend": bool(color) and not facet,
            "hovertemplate": hover,
            "line": {"color": line_colour, "dash": "solid"} if line_colour else {"dash": "solid"},
            "marker": {"symbol": "circle"},
            "textposition": "top center",
            "textfont": {"size": 10},
        }
        if facet:
            trace["mode"] = "lines+markers"
            axis = "" if k == 0 else str(k + 1)
            trace["xaxis"], trace["yaxis"] = "x" + axis, "y" + axis
        else:
            trace["mode"] = "lines+markers+text"
            trace["text"] = [f"n={int(ns[i])}" for i in idx]
        traces.append(trace)

    x_axis = {"title": {"text": None}, "categoryorder": "array", "categoryarray": x_order}
    layout: dict = {
        "margin": {"l": 10, "r": 10, "t": 40 if title else 20, "b": 10},
        "legend": {"title": {"text": ""}, "tracegroupgap": 0},
        "hovermode": "closest",
    }
    if title:
        layout["title"] = {"text": plain(title)}
    if facet:
        panels = len(series)
        cols = max(1, min(wrap, panels))
        rows = -(-panels // wrap) if panels else 1
        w = (1 - H_GAP * (cols - 1)) / cols
        h = (1 - V_GAP * (rows - 1)) / rows
        notes = []
        for k, key in enumerate(series):
            r, c = divmod(k, wrap)  # row 0 at the top
            x0 = c * (w + H_GAP)
            y1 = 1 - r * (h + V_GAP)
            axis = "" if k == 0 else str(k + 1)
            below = k + wrap < panels  # a panel under this one shows the quarters instead
            layout["xaxis" + axis] = {
                **x_axis,
                "anchor": "y" + axis,
                "domain": [x0, x0 + w],
                "showticklabels": not below,
                **({"matches": "x"} if k else {}),
            }
            layout["yaxis" + axis] = {
                **y_axis,
                "title": {"text": None},
                "anchor": "x" + axis,
                "domain": [max(0.0, y1 - h), y1],
                "showticklabels": c == 0,
                **({"matches": "y"} if k else {}),
            }
            notes.append(
                {
                    "text": plain(key),
                    "x": x0 + w / 2,
                    "y": y1,
                    "xref": "paper",
                    "yref": "paper",
                    "xanchor": "center",
                    "yanchor": "bottom",
                    "showarrow": False,
                }
            )
        layout["annotations"] = notes
        layout["height"] = height or 230 * rows + 60
    else:
        layout["xaxis"] = x_axis
        layout["yaxis"] = {**y_axis, "title": {"text": None}}
        layout["height"] = height or 360
    return go.Figure(data=traces, layout=layout)


def trend_figure(df: pd.DataFrame, y: str = "share_failing", **kwargs) -> go.Figure:
    """``trend_chart`` for a page. Not cached: built from plain lists it takes a few
    milliseconds, less than hashing the frame and copying a cached figure back."""
    return trend_chart(df, y, **kwargs)


def show(fig: go.Figure | dict, key: str) -> None:
    st.plotly_chart(fig, key=key, width="stretch", config={"displayModeBar": False})
