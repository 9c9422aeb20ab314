"""Every table on a page: shown read-only (free text stays plain text) with a CSV download
whose cells are neutralised against formula injection; each download is audited."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard import store
from dashboard.exports.safe import neutralise_frame
from dashboard.ui import data
from dashboard.ui.identity import who

MAX_SHOWN = 1000  # rows sent to the browser per table


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Lists (e.g. the quarters of a streak) as '; '-joined text for CSV."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
            )
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    return neutralise_frame(_flat(df)).to_csv(index=False).encode("utf-8-sig")


def _csv_logged(con, user: str, df, name: str, filters: str | None) -> bytes:
    """The CSV, built only when the button is clicked, and its disclosure logged.

    ``df`` may be a function returning the frame, so a large selection is only queried
    when somebody asks for it.
    """
    if callable(df):
        df = df()
    # a single INSERT: an audit line is not a data change, so caches stay valid
    store.audit(
        con.cursor(),
        user,
        "export",
        {"what": name, "rows": len(df), "format": "csv", "filters": filters},
    )
    return csv_bytes(df)


PERCENT_FORMAT = "%.0f%%"  # whole percentages: 0.6389 is shown as 64%


def _is_share(name: str, series: pd.Series, config: object) -> bool:
    """A share (0..1) column: configured with format="percent", or named share_*."""
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return False
    if isinstance(config, dict):
        return (config.get("type_config") or {}).get("format") == "percent"
    return config is None and "share" in str(name).split("_")


def whole_percentages(
    shown: pd.DataFrame, column_config: dict | None
) -> tuple[pd.DataFrame, dict | None]:
    """Share columns shown as whole percentages (x100, ``64%``); the CSV keeps the shares.

    Streamlit's ``percent`` format shows two decimals (``63.89%``), a precision the small
    numbers here never have; a share's ``n`` is in the same table (``n``, ``force_n`` ...).
    """
    config = dict(column_config or {})
    shares = [c for c in shown.columns if _is_share(c, shown[c], config.get(c))]
    if not shares:
        return shown, column_config
    out = shown.copy()
    for c in shares:
        out[c] = out[c] * 100
        old = config.get(c) if isinstance(config.get(c), dict) else {}
        config[c] = st.column_config.NumberColumn(
            old.get("label") or str(c).replace("_", " "),
            help=old.get("help"),
            width=old.get("width"),
            format=PERCENT_FORMAT,
        )
    return out, config


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "table"


def show_table(
    df: pd.DataFrame,
    name: str,
    *,
    key: str | None = None,
    column_config: dict | None = None,
    hide: tuple[str, ...] = (),
    height: int | str = "auto",
    filters_text: str | None = None,
    empty: str = "Nothing to show for these filters.",
    selection: bool = False,
    style=None,
):
    """``st.dataframe`` of ``df`` plus a 'Download CSV' button. Returns the selection event
    when ``selection`` (single row), else None. ``style``: a function from the shown frame
    to a pandas ``Styler`` (cell colours; Streamlit still draws the values as plain text)."""
    key = key or slug(name)
    if df is None or len(df) == 0:
        st.caption(empty)
        return None
    shown = df.drop(columns=[c for c in hide if c in df.columns])
    if len(shown) > MAX_SHOWN:  # the browser gets a screenful; the download gets everything
        shown = shown.head(MAX_SHOWN)
        st.caption(
            f"The first {MAX_SHOWN:,} of {len(df):,} rows are shown; the download has them all."
        )
    shown, column_config = whole_percentages(shown, column_config)
    kwargs = dict(hide_index=True, column_config=column_config, height=height, key=f"{key}_df")
    data_shown = style(shown) if style is not None else shown
    if selection:
        event = st.dataframe(data_shown, on_select="rerun", selection_mode="single-row", **kwargs)
    else:
        st.dataframe(data_shown, **kwargs)
        event = None
    con, user = data.connection(), who()
    st.download_button(
        f"Download CSV ({len(df):,} rows)",
        data=lambda: _csv_logged(con, user, df, name, filters_text),
        file_name=f"{slug(name)}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        type="tertiary",
        icon=":material/download:",
    )
    return event


def download_all_csv(make_df, name: str, *, key: str, label: str, filters_text: str | None = None):
    """A 'Download CSV' button for a selection too large to show: ``make_df()`` runs on click."""
    con, user = data.connection(), who()
    st.download_button(
        label,
        data=lambda: _csv_logged(con, user, make_df, name, filters_text),
        file_name=f"{slug(name)}.csv",
        mime="text/csv",
        key=f"{key}_all_csv",
        on_click="ignore",
        type="tertiary",
        icon=":material/download:",
    )
