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


def _log_download(name: str, rows: int, filters: str | None) -> None:
    # a single INSERT: an audit line is not a data change, so caches stay valid
    store.audit(
        data.connection().cursor(),
        who(),
        "export",
        {"what": name, "rows": rows, "format": "csv", "filters": filters},
    )


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
):
    """``st.dataframe`` of ``df`` plus a 'Download CSV' button. Returns the selection event
    when ``selection`` (single row), else None."""
    key = key or slug(name)
    if df is None or len(df) == 0:
        st.caption(empty)
        return None
    shown = df.drop(columns=[c for c in hide if c in df.columns])
    kwargs = dict(hide_index=True, column_config=column_config, height=height, key=f"{key}_df")
    if selection:
        event = st.dataframe(shown, on_select="rerun", selection_mode="single-row", **kwargs)
    else:
        st.dataframe(shown, **kwargs)
        event = None
    st.download_button(
        f"Download CSV ({len(df):,} rows)",
        data=csv_bytes(df),
        file_name=f"{slug(name)}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click=_log_download,
        args=(name, len(df), filters_text),
        type="tertiary",
        icon=":material/download:",
    )
    return event
