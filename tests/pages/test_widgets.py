"""The shared widgets without a browser: heatmap figure, CSV download, filter description."""

from __future__ import annotations

import io

import pandas as pd

from analysis.filters import Filters
from dashboard.ui import heatmap, tables
from dashboard.ui.filters import describe
from dashboard.vocab import GOOD, INADEQUATE, NA_COLOUR, NO_DATA_COLOUR, Quarter


def _matrix(rows: list[dict]) -> pd.DataFrame:
    base = dict(
        section_no=1,
        section="Timeliness and process",
        ordinal=1,
        col_order=1,
        n_na=0,
        n_outstanding=0,
        n_good=0,
        n_adequate=0,
        n_ri=0,
        n_inadequate=0,
    )
    out = []
    for r in rows:
        d = {**base, **r}
        d.setdefault("col_key", d["col_label"])
        out.append(d)
    return pd.DataFrame(out)


def test_heatmap_writes_the_grade_in_each_cell_and_escapes_free_text():
    m = _matrix(
        [
            dict(
                row_key="1.1",
                row_label='<a href="http://evil">click</a>',
                col_label="Cheshire",
                n=1,
                avg_score=1.0,
                share_failing=1.0,
                share_good=0.0,
                grade=INADEQUATE.name,
                n_inadequate=1,
            ),
            dict(
                row_key="1.1",
                row_label='<a href="http://evil">click</a>',
                col_label="Cumbria",
                col_order=2,
                n=4,
                avg_score=2.75,
                share_failing=0.25,
                share_good=0.75,
                grade=GOOD.name,
                n_good=3,
                n_inadequate=1,
            ),
            dict(
                row_key="2.1",
                row_label="Sources",
                section_no=2,
                section="Information gathering",
                col_label="Cheshire",
                n=0,
                n_na=2,
                avg_score=None,
                share_failing=None,
                share_good=None,
                grade=None,
            ),
        ]
    )
    fig = heatmap.build_figure(
        m, rows="question", cols="force", expected_cols=["Cheshire", "Cumbria", "Lancashire"]
    )
    grades = next(t for t in fig.data if t.name == "grades")
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks[0] == "<b>1. Timeliness and process</b>" and ticks[2].startswith("<b>2.")
    assert "<a" not in " ".join(ticks) and "&lt;a href" in ticks[1]
    assert list(fig.layout.xaxis.ticktext) == [
        "Cheshire",
        "Cumbria",
        "Lancashire<br><i>no data</i>",
    ]
    assert grades.text[1][0] == "I" and grades.text[1][1] == "G 2.8" and grades.text[3][0] == "N/A"
    assert grades.text[1][2] == "\u00b7"  # no answers: a dot, on the no-data colour
    cells = next(t for t in fig.data if t.name == "cells")
    assert [list(c) for c in cells.customdata] == [
        ["1.1", "Cheshire"],
        ["1.1", "Cumbria"],
        ["2.1", "Cheshire"],
    ]
    assert "n = 4 graded" in cells.hovertext[1] and "<a" not in cells.hovertext[1]
    # colours come from the vocabulary: the legend names every grade
    legend = {
        t.name: t.marker.color
        for t in fig.data
        if t.showlegend is not False and t.name not in ("grades", "no data")
    }
    assert legend[INADEQUATE.name] == INADEQUATE.colour and legend["N/A"] == NA_COLOUR
    assert next(t for t in fig.data if t.name == "no data").colorscale[0][1] == NO_DATA_COLOUR


def test_share_metric_cells_show_percentages():
    m = _matrix(
        [
            dict(
                row_key="1.1",
                row_label="Q",
                col_label="Cheshire",
                n=4,
                avg_score=2.5,
                share_failing=0.5,
                share_good=0.5,
                grade=GOOD.name,
            )
        ]
    )
    fig = heatmap.build_figure(m, metric="share_failing")
    assert next(t for t in fig.data if t.name == "grades").text[1][0] == "50%"


def test_csv_download_neutralises_formulas_and_keeps_numbers():
    df = pd.DataFrame(
        {
            "feedback": ['=HYPERLINK("x")', "+1", "@SUM(A1)", "fine", "-risk"],
            "n": [1, -2, 3, 4, 5],
            "quarters": [["2024/25 Q1", "2024/25 Q2"], [], [], [], []],
        }
    )
    out = pd.read_csv(io.BytesIO(tables.csv_bytes(df)), encoding="utf-8-sig", keep_default_na=False)
    assert list(out["feedback"]) == ['\'=HYPERLINK("x")', "'+1", "'@SUM(A1)", "fine", "'-risk"]
    assert list(out["n"]) == [1, -2, 3, 4, 5]
    assert out["quarters"][0] == "2024/25 Q1; 2024/25 Q2"


def test_csv_download_is_logged_as_a_disclosure(tmp_path):
    from dashboard import store

    con = store.connect(tmp_path / "a.duckdb")
    before = store.data_version(con)
    body = tables._csv_logged(
        con, "tester", pd.DataFrame({"a": ["=1"]}), "cell answers", "all forces"
    )
    assert b"'=1" in body
    row = con.execute("SELECT who, action, detail FROM audit_log").fetchall()
    assert row[0][0] == "tester" and row[0][1] == "export" and '"rows": 1' in row[0][2]
    assert store.data_version(con) == before  # a download does not invalidate caches


def test_describe_says_what_the_numbers_cover():
    q = Quarter(2024, 1).index
    assert describe(Filters()) == "all quarters; all forces"
    assert describe(
        Filters(quarter_from=q, quarter_to=q + 1, forces=("Cumbria",), risk_levels=("High",))
    ) == ("2024/25 Q1 to 2024/25 Q2; Cumbria; High risk")


def test_many_columns_show_the_grade_label_only():
    rows = [
        dict(
            row_key="1.1",
            row_label="Q",
            col_label=f"Force {i:02d}",
            col_order=i,
            n=4,
            avg_score=2.75,
            share_failing=0.25,
            share_good=0.75,
            grade=GOOD.name,
        )
        for i in range(heatmap.COMPACT_COLUMNS + 1)
    ]
    fig = heatmap.build_figure(_matrix(rows))
    assert set(next(t for t in fig.data if t.name == "grades").text[1]) == {"G"}
    assert fig.layout.xaxis.tickangle == -60


def test_a_large_selection_is_queried_only_when_downloaded_and_never_cut(tmp_path):
    from dashboard import store

    con = store.connect(tmp_path / "a.duckdb")
    calls = []

    def make():
        calls.append(1)
        return pd.DataFrame({"feedback": ["x"] * 2500})

    body = tables._csv_logged(con, "tester", make, "feedback selection (every match)", None)
    assert calls == [1]
    assert len(pd.read_csv(io.BytesIO(body), encoding="utf-8-sig")) == 2500
    detail = con.execute("SELECT detail FROM audit_log").fetchone()[0]
    assert '"rows": 2500' in detail
