"""Downloads on the Upload and data page: regional workbook, blank template, tidy data,
quarter summary.

Every file is built when the button is clicked (Streamlit's deferred download), and each
build is logged as a disclosure (``audit_log`` action ``export``) with who, what and how
many rows. The ``*_bytes`` functions hold the logic and are tested without a browser.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from analysis.filters import Filters
from dashboard import store
from dashboard.ui.text import plain
from dashboard.vocab import Quarter, parse_quarter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIDY_FORMATS = {
    "CSV": ("csv", "text/csv"),
    "XLSX": ("xlsx", XLSX),
    "Parquet": ("parquet", "application/vnd.apache.parquet"),
}


def _log(con, who: str, detail: dict) -> None:
    # a disclosure is not a data change, so the data version (and every cache) stays
    from dashboard.exports.tidy import audit_export

    audit_export(con, who, detail)


def _quarter(label: str | Quarter) -> Quarter:
    q = parse_quarter(label)
    if q is None:
        raise ValueError(f"{label!r} is not a quarter like '2024/25 Q2'")
    return q


def file_stub(label: str) -> str:
    """``2024/25 Q2`` -> ``2024-25_Q2`` for file names."""
    return label.replace("/", "-").replace(" ", "_")


def regional_bytes(con, quarter: str, who: str) -> bytes:
    """The collated regional workbook of ``quarter`` (one tab per force), logged."""
    from dashboard.exports.regional import regional_workbook_bytes

    data = regional_workbook_bytes(con, _quarter(quarter))
    _log(
        con, who, {"kind": "regional", "via": "upload page", "quarter": quarter, "bytes": len(data)}
    )
    return data


def template_file_bytes(con, quarter: str, force: str | None, who: str) -> bytes:
    """A blank review template with grade drop-downs, logged."""
    from dashboard.exports.template import template_bytes

    data = template_bytes(con, _quarter(quarter), force=force)
    _log(con, who, {"kind": "template", "via": "upload page", "quarter": quarter, "force": force})
    return data


def tidy_bytes(con, filters: Filters, fmt: str, who: str) -> bytes:
    """One row per answer within ``filters``, as CSV, XLSX or Parquet, logged."""
    from dashboard.exports import tidy

    df = tidy.tidy_frame(con.cursor(), filters)
    writer = {
        "CSV": tidy.to_csv_bytes,
        "XLSX": tidy.to_xlsx_bytes,
        "Parquet": tidy.to_parquet_bytes,
    }[fmt]
    data = writer(df)
    _log(
        con,
        who,
        {
            "kind": "tidy",
            "via": "upload page",
            "format": fmt,
            "rows": len(df),
            "filters": _filters_detail(filters),
        },
    )
    return data


def summary_bytes(con, quarter: str, who: str, html: bool = False) -> bytes:
    """The quarter summary a lead can paste (Markdown-safe text) or present (HTML), logged."""
    from dashboard.exports import summary

    q = _quarter(quarter)
    text = summary.quarter_summary_html(con, q) if html else summary.quarter_summary_text(con, q)
    _log(
        con,
        who,
        {
            "kind": "summary",
            "via": "upload page",
            "quarter": quarter,
            "format": "html" if html else "text",
        },
    )
    return text.encode("utf-8")


def heatmap_png(con, quarter: str, who: str) -> bytes:
    """The quarter's question x force grade heatmap as a PNG slide, logged."""
    from analysis.matrix import grade_matrix
    from dashboard.exports.charts import figure_png
    from dashboard.settings import load_settings
    from dashboard.ui.heatmap import build_figure

    q = _quarter(quarter)
    settings = load_settings(con)
    m = grade_matrix(
        con.cursor(),
        Filters(quarter_from=q.index, quarter_to=q.index),
        rows="question",
        cols="force",
        settings=settings,
    )
    if m.empty:
        raise ValueError(f"no data for {quarter}")
    fig = build_figure(m, rows="question", cols="force", five=settings.five_grades)
    fig.update_layout(title=f"ARMS peer review grades by question and force, {quarter}")
    height = max(900, 28 * (m["row_key"].nunique() + 12))
    data = figure_png(fig, width=1920, height=height)
    _log(con, who, {"kind": "chart", "via": "upload page", "quarter": quarter, "chart": "heatmap"})
    return data


def _filters_detail(filters: Filters) -> dict:
    return {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in filters.__dict__.items()
        if v not in (None, ())
    }


def _quarters_with_data(con) -> list[str]:
    from analysis.overview import quarters

    df = quarters(con.cursor())
    return list(reversed(df["quarter"].tolist())) if not df.empty else []


def _template_quarters(con, with_data: list[str], today: dt.date | None = None) -> list[str]:
    """The quarter after the latest with data (the default), the current and next quarters,
    then every quarter with data, newest first."""
    from dashboard.exports.template import default_template_quarter

    now = Quarter.containing(today or dt.date.today())
    first = default_template_quarter(con.cursor(), today)
    out = [first.label]
    for q in sorted({now.next(), now, *(parse_quarter(x) for x in with_data)}, reverse=True):
        if q is not None and q.label not in out:
            out.append(q.label)
    return out


def current_filters() -> Filters:
    """The filters the other pages set (session state and URL)."""
    from dashboard.ui import filters as shared

    return shared.current()


def section(con, who: str) -> None:
    """The downloads block of the page."""
    with_data = _quarters_with_data(con)
    forces = store.load_forces(con).names

    st.markdown(
        "**Collated regional workbook** - one tab per force, coloured grade cells, "
        "feedback beside them; it imports back unchanged."
    )
    if with_data:
        c1, c2 = st.columns([2, 3], vertical_alignment="bottom")
        q = c1.selectbox("Quarter", with_data, key="dl_regional_quarter")
        c2.download_button(
            f"Download regional workbook {q}",
            data=lambda: regional_bytes(con, q, who),
            file_name=f"ARMS_peer_review_{file_stub(q)}.xlsx",
            mime=XLSX,
            key="dl_regional",
            icon=":material/download:",
            on_click="ignore",
        )
    else:
        st.caption("No reviews yet: import a workbook first.")

    st.markdown(
        "**Blank review template** - the question set with grade drop-downs, so new "
        "returns are clean."
    )
    c1, c2, c3 = st.columns([2, 2, 3], vertical_alignment="bottom")
    tq = c1.selectbox("Quarter", _template_quarters(con, with_data), key="dl_template_quarter")
    tf = c2.selectbox("Force under review", ["All forces", *forces], key="dl_template_force")
    force = None if tf == "All forces" else tf
    c3.download_button(
        "Download blank template",
        data=lambda: template_file_bytes(con, tq, force, who),
        file_name=f"ARMS_review_template_{file_stub(tq)}{'_' + force.replace(' ', '_') if force else ''}.xlsx",
        mime=XLSX,
        key="dl_template",
        icon=":material/download:",
        on_click="ignore",
    )

    st.markdown("**Tidy data** - one row per answer, with the filters set on the other pages.")
    filters = current_filters()
    from dashboard.ui.filters import describe

    st.caption(plain("Covers: " + describe(filters)))
    c1, c2 = st.columns([2, 3], vertical_alignment="bottom")
    fmt = c1.radio("Format", list(TIDY_FORMATS), horizontal=True, key="dl_tidy_format")
    ext, mime = TIDY_FORMATS[fmt]
    c2.download_button(
        f"Download tidy data ({fmt})",
        data=lambda: tidy_bytes(con, filters, fmt, who),
        file_name=f"ARMS_peer_review_tidy.{ext}",
        mime=mime,
        key="dl_tidy",
        icon=":material/download:",
        on_click="ignore",
        disabled=not with_data,
    )

    st.markdown(
        "**Meeting material** - the quarter summary to paste or present, and the grade "
        "heatmap as a picture for slides."
    )
    if with_data:
        c1, c2, c3, c4 = st.columns([2, 2, 2, 2], vertical_alignment="bottom")
        sq = c1.selectbox("Quarter", with_data, key="dl_summary_quarter")
        c2.download_button(
            "Summary (text)",
            data=lambda: summary_bytes(con, sq, who),
            file_name=f"ARMS_summary_{file_stub(sq)}.md",
            mime="text/markdown",
            key="dl_summary",
            icon=":material/download:",
            on_click="ignore",
        )
        c3.download_button(
            "Summary (HTML page)",
            data=lambda: summary_bytes(con, sq, who, html=True),
            file_name=f"ARMS_summary_{file_stub(sq)}.html",
            mime="text/html",
            key="dl_summary_html",
            icon=":material/download:",
            on_click="ignore",
        )
        c4.download_button(
            "Heatmap (PNG)",
            data=lambda: heatmap_png(con, sq, who),
            file_name=f"ARMS_heatmap_{file_stub(sq)}.png",
            mime="image/png",
            key="dl_heatmap_png",
            icon=":material/image:",
            on_click="ignore",
        )
    st.caption("Every download is recorded in the audit log with your name.")
