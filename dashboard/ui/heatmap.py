"""The grade heatmap people click: HMICFRS colours with the grade text in every cell,
n on hover, sections grouped; a click shows the answers and feedback behind the cell.

Drawing: a ``Heatmap`` trace paints the cells (and their text, so colour is never the only
signal); a ``Scatter`` of transparent square markers on the cell centres carries each
cell's keys in ``customdata`` and the hover text. ``st.plotly_chart(on_select="rerun")``
reports clicks on scatter points (a Heatmap alone gives no selection in Streamlit).
All free text (question wording, section names) is escaped before Plotly sees it.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.filters import Filters
from dashboard.ui.tables import show_table
from dashboard.ui.text import plain as md_plain
from dashboard.vocab import (
    ADEQUATE,
    GOOD,
    INADEQUATE,
    NA,
    NA_COLOUR,
    NO_DATA_COLOUR,
    OUTSTANDING,
    REQUIRES_IMPROVEMENT,
    grade_by_name,
    grade_scale,
)

METRICS: dict[str, str] = {
    "grade": "Average grade",
    "share_failing": "Share failing",
    "share_good": "Share good or better",
    "n": "Count of graded answers",
}
ROW_LABELS = {"question": "Question", "section": "Section"}
COL_LABELS = {
    "force": "Force reviewed",
    "quarter": "Quarter",
    "risk_level": "Risk level",
    "reviewing_force": "Reviewing force",
}
_SHARE_SCALES = {
    # sequential scales from white to the grade colour they are about
    "share_failing": lambda five: [[0, "#FFFFFF"], [1, grade_scale(five)[-1].colour]],
    "share_good": lambda five: [[0, "#FFFFFF"], [1, grade_scale(five)[1].colour]],
    "n": lambda five: "Blues",
}
LABEL_CHARS = 64
COMPACT_COLUMNS = 14  # beyond this many columns a cell shows the grade label only
# grade -> its count column in grade_matrix
COUNT_COLUMNS = {
    OUTSTANDING.name: "n_outstanding",
    GOOD.name: "n_good",
    ADEQUATE.name: "n_adequate",
    REQUIRES_IMPROVEMENT.name: "n_ri",
    INADEQUATE.name: "n_inadequate",
}


def plain(text: object) -> str:
    """Text made inert for Plotly's pseudo-HTML (which renders <a>, <b>, <br> ...)."""
    s = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def layout_rows(m: pd.DataFrame, rows: str) -> list[dict]:
    """The heatmap's lines top to bottom: section headers (question rows only) and data rows."""
    keys = (
        m[["row_key", "row_label", "section_no", "section", "ordinal"]]
        .drop_duplicates("row_key")
        .sort_values(["section_no", "ordinal", "row_key"], na_position="last", kind="stable")
    )
    lines: list[dict] = []
    last_section = object()
    for r in keys.itertuples(index=False):
        if rows == "question" and r.section != last_section:
            sec = r.section if isinstance(r.section, str) else "No section"
            no = f"{int(r.section_no)}. " if _num(r.section_no) is not None else ""
            lines.append({"kind": "section", "key": None, "label": f"{no}{sec}"})
            last_section = r.section
        if rows == "question":
            label = (
                f"{r.row_key}  {_short(r.row_label)}"
                if r.row_label != r.row_key
                else str(r.row_key)
            )
        else:
            label = _short(r.row_label)
        lines.append({"kind": "row", "key": r.row_key, "label": label, "full": r.row_label})
    return lines


def layout_cols(m: pd.DataFrame, expected: list[str] | None = None) -> list[dict]:
    """Columns left to right; ``expected`` keys (e.g. every force) are kept even without data,
    so a missing return shows as an empty column rather than vanishing."""
    cols = (
        m[["col_key", "col_label", "col_order"]]
        .drop_duplicates("col_label")
        .sort_values(["col_order", "col_label"], kind="stable")
    )
    out = [{"key": r.col_key, "label": r.col_label} for r in cols.itertuples(index=False)]
    if expected:
        have = {c["key"] for c in out}
        order = {k: i for i, k in enumerate(expected)}
        out += [{"key": k, "label": k, "missing": True} for k in expected if k not in have]
        out.sort(key=lambda c: order.get(c["key"], len(order)))
    return out


def cell_text(r, metric: str, five: bool, compact: bool = False) -> str:
    """What is written in a cell: the grade (short label, plus the average when n > 1 and
    there is room), a share or n."""
    n = int(r["n"]) if _num(r["n"]) is not None else 0
    if metric == "n":
        return str(n)
    if n == 0:
        return NA if int(r.get("n_na") or 0) else ""
    if metric == "grade":
        g = r.get("grade")
        short = grade_by_name(g).short if g else "?"
        avg = _num(r["avg_score"])
        return short if n == 1 or avg is None or compact else f"{short} {avg:.1f}"
    share = _num(r[metric])
    return "" if share is None else f"{100 * share:.0f}%"


def _hover(r, metric: str, rows: str, cols: str, five: bool) -> str:
    n = int(r["n"]) if _num(r["n"]) is not None else 0
    head = (
        f"<b>{plain(r['row_key'])}</b> {plain(_short(r['row_label'], 90))}"
        if rows == "question"
        else f"<b>{plain(r['row_label'])}</b>"
    )
    lines = [head, f"{COL_LABELS[cols]}: {plain(r['col_label'])}"]
    avg = _num(r["avg_score"])
    if n:
        g = r.get("grade") or ""
        lines.append(f"Average {avg:.2f} ({plain(g)}) - n = {n} graded")
        sf, sg = _num(r["share_failing"]), _num(r["share_good"])
        lines.append(f"Failing {100 * (sf or 0):.0f}% - good or better {100 * (sg or 0):.0f}%")
        counts = []
        for grade in grade_scale(five):
            col = COUNT_COLUMNS[grade.name]
            counts.append(f"{grade.short} {int(r.get(col) or 0)}")
        lines.append(" - ".join(counts) + f" - {NA} {int(r.get('n_na') or 0)}")
    else:
        lines.append(f"No graded answers ({NA}: {int(r.get('n_na') or 0)})")
    lines.append("<i>Click to read the answers</i>")
    return "<br>".join(lines)


def build_figure(
    m: pd.DataFrame,
    *,
    rows: str = "question",
    cols: str = "force",
    metric: str = "grade",
    five: bool = False,
    present: bool = False,
    selected: dict | None = None,
    expected_cols: list[str] | None = None,
) -> go.Figure:
    """The heatmap figure for a ``grade_matrix`` frame."""
    lines = layout_rows(m, rows)
    columns = layout_cols(m, expected_cols)
    y_of = {ln["key"]: i for i, ln in enumerate(lines) if ln["kind"] == "row"}
    x_of = {c["label"]: j for j, c in enumerate(columns)}
    nr, nc = len(lines), len(columns)
    mask = [[None] * nc for _ in range(nr)]
    z = [[None] * nc for _ in range(nr)]
    text = [[""] * nc for _ in range(nr)]
    for i, ln in enumerate(lines):
        if ln["kind"] == "row":
            mask[i] = [1] * nc
            text[i] = ["\u00b7"] * nc  # a dot marks 'no answers' (not just a pale cell)
    scale = grade_scale(five)
    cats = [g.name for g in scale] + [NA]
    colours = [g.colour for g in scale] + [NA_COLOUR]
    sx, sy, sdata, shover = [], [], [], []
    for r in m.to_dict("records"):
        i, j = y_of[r["row_key"]], x_of[r["col_label"]]
        text[i][j] = cell_text(r, metric, five, compact=nc > COMPACT_COLUMNS)
        if metric == "grade":
            n = int(r["n"] or 0)
            cat = r.get("grade") if n else (NA if int(r.get("n_na") or 0) else None)
            z[i][j] = cats.index(cat) + 0.5 if cat in cats else None
        else:
            z[i][j] = _num(r[metric])
        sx.append(j)
        sy.append(i)
        sdata.append([r["row_key"], r["col_key"]])
        shover.append(_hover(r, metric, rows, cols, five))

    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=mask,
            x=list(range(nc)),
            y=list(range(nr)),
            zmin=0,
            zmax=1,
            colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
            showscale=False,
            hoverinfo="skip",
            xgap=2,
            ygap=2,
            name="no data",
        )
    )
    font_size = 17 if present else 13
    if nc > COMPACT_COLUMNS:  # national scale: many narrow columns
        font_size = 10 if nc > 2 * COMPACT_COLUMNS else 11
    if metric == "grade":
        k = len(cats)
        colorscale = []
        for idx, c in enumerate(colours):
            colorscale += [[idx / k, c], [(idx + 1) / k, c]]
        value = go.Heatmap(z=z, zmin=0, zmax=k, colorscale=colorscale, showscale=False)
    else:
        zmax = max([v for row in z for v in row if v is not None] or [1]) if metric == "n" else 1
        value = go.Heatmap(
            z=z,
            zmin=0,
            zmax=zmax,
            colorscale=_SHARE_SCALES[metric](five),
            showscale=True,
            colorbar=dict(title=METRICS[metric], thickness=12, len=0.5, y=1, yanchor="top"),
        )
    value.update(
        x=list(range(nc)),
        y=list(range(nr)),
        text=text,
        texttemplate="%{text}",
        textfont=dict(size=font_size),
        hoverinfo="skip",
        xgap=2,
        ygap=2,
        name="grades",
    )
    fig.add_trace(value)

    row_px = 36 if present else 28
    fig.add_trace(
        go.Scatter(
            x=sx,
            y=sy,
            mode="markers",
            customdata=sdata,
            hovertext=shover,
            hovertemplate="%{hovertext}<extra></extra>",
            name="cells",
            showlegend=False,
            marker=dict(symbol="square", size=row_px - 4, color="rgba(0,0,0,0)"),
            selected=dict(marker=dict(color="rgba(0,0,0,0)")),
            unselected=dict(marker=dict(opacity=1)),
        )
    )
    if metric == "grade":  # a legend: colour always named
        for g, c in zip(cats, colours, strict=True):
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=g,
                    hoverinfo="skip",
                    marker=dict(
                        symbol="square", size=14, color=c, line=dict(width=1, color="#888888")
                    ),
                )
            )
    ticktext = [
        f"<b>{plain(ln['label'])}</b>" if ln["kind"] == "section" else plain(ln["label"])
        for ln in lines
    ]
    if selected and selected.get("row_key") in y_of:
        col_label = next((c["label"] for c in columns if c["key"] == selected.get("col_key")), None)
        if col_label in x_of:
            i, j = y_of[selected["row_key"]], x_of[col_label]
            fig.add_shape(
                type="rect",
                x0=j - 0.5,
                x1=j + 0.5,
                y0=i - 0.5,
                y1=i + 0.5,
                line=dict(color="#1A1A1A", width=3),
            )
    for i, ln in enumerate(lines):  # a rule above every section header
        if ln["kind"] == "section" and i:
            fig.add_shape(
                type="line",
                xref="paper",
                x0=0,
                x1=1,
                y0=i - 0.5,
                y1=i - 0.5,
                line=dict(color="#555555", width=1),
            )
    fig.update_layout(
        height=max(260, 140 + nr * row_px),
        margin=dict(l=10, r=10, t=90, b=10),
        plot_bgcolor="#FFFFFF",
        hovermode="closest",
        hoverdistance=row_px,
        dragmode=False,
        clickmode="event+select",
        font=dict(size=font_size),
        legend=dict(
            orientation="h",
            x=0,
            y=1.0,
            yanchor="bottom",
            xanchor="left",
            itemclick=False,
            itemdoubleclick=False,
        ),
        xaxis=dict(
            tickvals=list(range(nc)),
            ticktext=[
                plain(c["label"]) + ("<br><i>no data</i>" if c.get("missing") else "")
                for c in columns
            ],
            side="top",
            tickfont=dict(size=font_size + 1, color="#1A1A1A"),
            tickangle=-60 if nc > COMPACT_COLUMNS else 0,
            range=[-0.5, nc - 0.5],
            showgrid=False,
            zeroline=False,
            fixedrange=True,
            automargin=True,
        ),
        yaxis=dict(
            tickvals=list(range(nr)),
            ticktext=ticktext,
            tickfont=dict(size=font_size, color="#1A1A1A"),
            range=[nr - 0.5, -0.5],
            showgrid=False,
            zeroline=False,
            fixedrange=True,
            automargin=True,
        ),
    )
    if metric == "grade":
        fig.update_layout(legend=dict(y=-0.02, yanchor="top"), margin=dict(b=50))
    return fig


def _cell_state_key(key: str) -> str:
    return f"{key}__cell"


def _chart_key(key: str) -> str:
    # a fresh widget after every click, so a click on the same cell again is a new event
    return f"{key}__{st.session_state.get(f'{key}__gen', 0)}"


def selected_cell(key: str, rows: str, cols: str) -> dict | None:
    """The cell picked on this heatmap: from a new click, else the one kept in session state.

    The returned dict has ``new`` = True on the run right after a click (or a keyboard pick).
    """
    event = st.session_state.get(_chart_key(key))
    try:
        points = list(event["selection"]["points"]) if event else []
    except (KeyError, TypeError):
        points = []
    new = False
    cd = next((p.get("customdata") for p in points if p.get("customdata")), None)
    if cd:
        st.session_state[_cell_state_key(key)] = {
            "rows": rows,
            "cols": cols,
            "row_key": cd[0],
            "col_key": cd[1] if len(cd) > 1 else None,
        }
        st.session_state[f"{key}__gen"] = st.session_state.get(f"{key}__gen", 0) + 1
        new = True
    if st.session_state.pop(f"{key}__open", False):  # chosen with the keyboard picker
        new = True
    cell = st.session_state.get(_cell_state_key(key))
    if cell and (cell.get("rows") != rows or cell.get("cols") != cols):
        return None
    return {**cell, "new": new} if cell else None


def pick_cell(key: str, rows: str, cols: str, row_key: str, col_key: str | None) -> None:
    """Select a cell without a click (tests, links)."""
    st.session_state[_cell_state_key(key)] = {
        "rows": rows,
        "cols": cols,
        "row_key": row_key,
        "col_key": col_key,
    }


def heatmap(
    m: pd.DataFrame,
    *,
    rows: str,
    cols: str,
    metric: str = "grade",
    key: str,
    five: bool = False,
    present: bool = False,
    expected_cols: list[str] | None = None,
) -> dict | None:
    """Draw the clickable heatmap; return the selected cell ({row_key, col_key, ...}) or None."""
    if m is None or len(m) == 0:
        st.caption("No answers for these filters.")
        return None
    cell = selected_cell(key, rows, cols)
    fig = build_figure(
        m,
        rows=rows,
        cols=cols,
        metric=metric,
        five=five,
        present=present,
        selected=cell,
        expected_cols=expected_cols,
    )
    st.plotly_chart(
        fig,
        key=_chart_key(key),
        on_select="rerun",
        selection_mode=("points",),
        width="stretch",
        config={"displayModeBar": False, "scrollZoom": False},
    )
    if not present:
        _keyboard_picker(m, key=key, rows=rows, cols=cols)
    return cell


def _keyboard_picker(m: pd.DataFrame, *, key: str, rows: str, cols: str) -> None:
    """The same choice without a mouse (keyboard, screen reader, touch)."""
    row_opts = m.drop_duplicates("row_key")
    row_opts = row_opts.sort_values(["section_no", "ordinal", "row_key"], na_position="last")
    row_label = dict(zip(row_opts["row_key"], row_opts["row_label"], strict=True))
    col_opts = m.drop_duplicates("col_label").sort_values(["col_order", "col_label"])
    col_key = dict(zip(col_opts["col_label"], col_opts["col_key"], strict=True))
    with st.expander("Choose a cell without the mouse", icon=":material/keyboard:"):
        a, b, c = st.columns([0.6, 0.25, 0.15], vertical_alignment="bottom")
        r = a.selectbox(
            ROW_LABELS[rows],
            list(row_label),
            key=f"{key}__kb_row",
            format_func=lambda k: (
                f"{k} {_short(row_label[k], 90)}" if rows == "question" else str(k)
            ),
        )
        c_label = b.selectbox(COL_LABELS[cols], list(col_key), key=f"{key}__kb_col")
        if c.button("Show answers", key=f"{key}__kb_go"):
            pick_cell(key, rows, cols, r, col_key[c_label])
            st.session_state[f"{key}__open"] = True
            st.rerun()


def cell_panel(filters: Filters, cell: dict, m: pd.DataFrame, *, key: str) -> None:
    """The answers and feedback behind one cell, as plain text (never Markdown or HTML).

    A fresh click opens them in a dialog over the heatmap (no scrolling in the meeting);
    they also stay below the heatmap until closed, with the table to download.
    """
    from analysis.matrix import cell_answers
    from dashboard.ui import data

    rows, cols = cell["rows"], cell["cols"]
    hit = m[
        (m["row_key"] == cell["row_key"])
        & (
            m["col_key"].astype(object).eq(cell["col_key"])
            | (m["col_key"].isna() & (cell["col_key"] is None))
        )
    ]
    row_label = hit["row_label"].iloc[0] if len(hit) else cell["row_key"]
    col_label = hit["col_label"].iloc[0] if len(hit) else (cell["col_key"] or "Not recorded")
    answers = data.frame(cell_answers, filters, rows, cell["row_key"], cols, cell["col_key"])
    title = f"{cell['row_key']} {row_label}" if rows == "question" else str(row_label)
    if cell.get("new"):
        st.dialog("Answers behind the cell", width="large")(_feedback_list)(
            answers, title, f"{COL_LABELS[cols]}: {col_label}"
        )
    with st.container(border=True, key=f"{key}_panel"):
        top = st.columns([0.85, 0.15])
        top[0].markdown(
            f"**Answers behind the cell:** {md_plain(title)}  \n"
            f"{COL_LABELS[cols]}: **{md_plain(col_label)}** - {len(answers)} answers"
        )
        if top[1].button("Close", key=f"{key}_close", icon=":material/close:"):
            st.session_state.pop(_cell_state_key(key), None)
            st.rerun()
        if len(answers) == 0:
            st.caption("No answers behind this cell for the current filters.")
            return
        show_table(
            answers[
                [
                    "quarter",
                    "force",
                    "reviewing_force",
                    "risk_level",
                    "officer",
                    "case_id",
                    "question_id",
                    "grade",
                    "feedback",
                    "question",
                ]
            ],
            "cell answers",
            key=f"{key}_answers",
            column_config={"feedback": st.column_config.TextColumn("feedback", width="large")},
        )
        st.caption("Feedback, in full:")
        _answer_cards(answers)


def _feedback_list(answers: pd.DataFrame, title: str, column: str) -> None:
    """The dialog's body: which cell, then every answer's grade and feedback as plain text."""
    st.text(title)
    st.text(f"{column} - {len(answers)} answers")
    if len(answers) == 0:
        st.caption("No answers behind this cell for the current filters.")
        return
    _answer_cards(answers)


def _answer_cards(answers: pd.DataFrame, limit: int = 60) -> None:
    for a in answers.head(limit).to_dict("records"):
        who = " - ".join(
            str(v)
            for v in (
                a["grade"] or "ungraded",
                a["quarter"],
                a["force"],
                f"{a['risk_level']} risk" if a["risk_level"] else None,
                f"reviewed by {a['reviewing_force']}" if a["reviewing_force"] else None,
                f"officer {a['officer']}" if a["officer"] else None,
            )
            if v
        )
        with st.container(border=True):
            st.text(who)
            st.text(a["feedback"] if a["feedback"] else "(no feedback written)")
