"""The trend chart builder: every point carries its n, quarters run in order, small multiples
name each panel (escaped) and share their axes."""

from __future__ import annotations

import pandas as pd

from dashboard.ui.charts import Y_LABELS, trend_chart
from dashboard.vocab import grade_scale


def _frame(forces: list[str], quarters: int = 3) -> pd.DataFrame:
    rows = [
        {
            "force": f,
            "quarter": f"Q{q}",
            "quarter_idx": q,
            "n": 10 * (i + 1) + q,
            "share_failing": 0.1 * q,
            "avg_score": 2.0 + q / 2,
        }
        for i, f in enumerate(forces)
        for q in reversed(range(quarters))  # newest first: the chart must sort
    ]
    return pd.DataFrame(rows)


def test_one_line_in_quarter_order_with_n_on_hover_and_label():
    fig = trend_chart(_frame(["A"]).drop(columns="force"), "share_failing").to_dict()
    (line,) = fig["data"]
    assert list(line["x"]) == ["Q0", "Q1", "Q2"]
    assert [c[0] for c in line["customdata"]] == [10, 11, 12]
    assert list(line["text"]) == ["n=10", "n=11", "n=12"]
    assert "n = %{customdata[0]} graded answers" in line["hovertemplate"]
    assert Y_LABELS["share_failing"] in line["hovertemplate"]
    assert fig["layout"]["yaxis"]["tickformat"] == ".0%"
    assert fig["layout"]["xaxis"]["categoryarray"] == ["Q0", "Q1", "Q2"]


def test_a_line_per_series_in_a_legend_on_the_grade_axis():
    fig = trend_chart(_frame(["Cumbria", "Region"]), "avg_score", color="force").to_dict()
    assert [t["name"] for t in fig["data"]] == ["Cumbria", "Region"]
    assert all(t["showlegend"] for t in fig["data"])
    assert fig["data"][0]["line"]["color"] != fig["data"][1]["line"]["color"]
    scale = grade_scale()
    assert list(fig["layout"]["yaxis"]["ticktext"]) == [g.short for g in scale]


def test_small_multiples_one_panel_per_force_titled_and_escaped():
    forces = [f"F{i}" for i in range(6)] + ["<b>Bold</b>"]
    fig = trend_chart(_frame(forces), "share_failing", facet="force").to_dict()
    lay = fig["layout"]
    assert [a["text"] for a in lay["annotations"]] == [*forces[:6], "&lt;b&gt;Bold&lt;/b&gt;"]
    # one trace per panel, each on its own axes, with n per point
    assert [(t["xaxis"], t["yaxis"]) for t in fig["data"]][:2] == [("x", "y"), ("x2", "y2")]
    assert [c[0] for c in fig["data"][6]["customdata"]] == [70, 71, 72]
    assert not any(t["showlegend"] for t in fig["data"])
    # three rows of three: the quarters under the lowest panel of each column, grade axis left
    assert [lay[f"xaxis{k}"]["showticklabels"] for k in ("", 2, 3, 4, 5, 6, 7)] == [
        False,
        False,
        False,
        False,
        True,
        True,
        True,
    ]
    assert [lay[f"yaxis{k}"]["showticklabels"] for k in ("", 2, 3, 4)] == [True, False, False, True]
    assert lay["yaxis7"]["matches"] == "y" and lay["xaxis7"]["matches"] == "x"
    assert lay["height"] == 230 * 3 + 60
    # panels do not overlap: a lower row sits wholly below the one above it
    assert lay["yaxis4"]["domain"][1] < lay["yaxis"]["domain"][0]
