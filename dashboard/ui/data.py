"""The app's boundary to the store: one connection per process, caches keyed on the data version.

Pages call ``cached(fn, filters, ...)`` rather than analysis functions directly, so every
result is cached on (function, arguments, data version) and an import or undo is seen at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from dashboard import store
from dashboard.settings import Settings, load_settings


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = store.connect(path)
    if os.environ.get("ARMS_NO_AUTODEMO") != "1" and not _has_any_import(con):
        # first start on an empty database: load the bundled demo, labelled as demo data
        from dashboard.demo import load_demo

        load_demo(con)
    return con


def _has_any_import(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.cursor().execute("SELECT count(*) FROM imports").fetchone()[0])


def connection() -> duckdb.DuckDBPyConnection:
    """The process-wide connection. Take ``.cursor()`` per query."""
    return _connection(str(store.default_db_path()))


def data_version() -> int:
    return store.data_version(connection())


@st.cache_data(show_spinner=False, max_entries=512)
def _run(_fn: Callable, key: str, db: str, version: int, args: tuple, kwargs: tuple) -> Any:
    return _fn(connection().cursor(), *args, **dict(kwargs))


def cached(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """``fn(cursor, *args, **kwargs)`` cached until the data changes.

    Arguments must be hashable by Streamlit (dataclasses like Filters and Settings are).
    """
    key = f"{fn.__module__}.{fn.__qualname__}"
    db = str(store.default_db_path())  # two databases in one process (tests) never share
    return _run(fn, key, db, data_version(), args, tuple(sorted(kwargs.items())))


def settings() -> Settings:
    return _settings(str(store.default_db_path()), data_version())


@st.cache_data(show_spinner=False, max_entries=8)
def _settings(db: str, version: int) -> Settings:
    return load_settings(connection())


def frame(fn: Callable, *args: Any, **kwargs: Any) -> pd.DataFrame:
    out = cached(fn, *args, **kwargs)
    return out if isinstance(out, pd.DataFrame) else pd.DataFrame(out)
