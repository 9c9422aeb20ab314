"""The filter bar every page shares: quarter range, forces, risk levels, sections.

The chosen values live in ``st.session_state["_filters"]`` (so they survive page changes)
and in the URL (``?from=2024/25 Q1&to=2025/26 Q2&force=Cumbria&risk=High&section=...``), so
a link reproduces the view. On a session's first run they are read from the URL.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from analysis.filters import Filters
from dashboard.ui import data
from dashboard.vocab import RISK_LEVELS, parse_quarter

STATE = "_filters"
# state name -> URL parameter
PARAMS = {"from": "from", "to": "to", "forces": "force", "risk": "risk", "sections": "section"}
LISTS = ("forces", "risk", "sections")


def _from_url() -> dict:
    qp = st.query_params
    return {
        "from": qp.get("from"),
        "to": qp.get("to"),
        "forces": list(qp.get_all("force")),
        "risk": list(qp.get_all("risk")),
        "sections": list(qp.get_all("section")),
    }


def page_changed() -> bool:
    """True on the first run of a page after another page (set by ``app.py``)."""
    return bool(st.session_state.get("_page_changed", False))


def state() -> dict:
    if STATE not in st.session_state:
        st.session_state[STATE] = _from_url()
    return st.session_state[STATE]


def _write_url(s: dict) -> None:
    for name, param in PARAMS.items():
        value = s.get(name)
        if value in (None, [], ()):
            st.query_params.pop(param, None)
        elif name in LISTS:
            if list(st.query_params.get_all(param)) != list(value):
                st.query_params[param] = list(value)
        elif st.query_params.get(param) != value:
            st.query_params[param] = value


def quarter_labels() -> list[str]:
    from analysis.overview import quarters

    q = data.frame(quarters)
    return list(q["quarter"]) if len(q) else []


def dimensions() -> dict:
    from analysis.overview import dimension_values

    return data.cached(dimension_values)


def _valid(values: Iterable[str], options: Iterable[str]) -> list[str]:
    opts = list(options)
    return [v for v in values if v in opts]


def _multiselect(label: str, name: str, options: list[str], where, placeholder: str) -> list[str]:
    s = state()
    key = f"w_{name}"
    if key not in st.session_state or page_changed():
        st.session_state[key] = _valid(s.get(name) or [], options)
    else:  # options can change after an import
        st.session_state[key] = _valid(st.session_state[key], options)
    value = where.multiselect(label, options, key=key, placeholder=placeholder)
    s[name] = list(value)
    return list(value)


def quarter_range(where=None) -> tuple[str | None, str | None]:
    """The quarter range slider; returns (from, to) labels (None when there is no data)."""
    where = where or st.sidebar
    labels = quarter_labels()
    s = state()
    if not labels:
        return None, None
    lo = s.get("from") if s.get("from") in labels else labels[0]
    hi = s.get("to") if s.get("to") in labels else labels[-1]
    if labels.index(lo) > labels.index(hi):
        lo, hi = hi, lo
    if len(labels) == 1:
        s["from"], s["to"] = None, None
        where.caption(f"Quarter: {labels[0]}")
        return labels[0], labels[0]
    key = "w_quarters"
    if (
        key not in st.session_state
        or page_changed()
        or any(v not in labels for v in st.session_state[key])
    ):
        st.session_state[key] = (lo, hi)
    lo, hi = where.select_slider("Quarters", options=labels, key=key)
    # the full range is the default: keep it out of the URL so new quarters are included
    s["from"] = lo if lo != labels[0] else None
    s["to"] = hi if hi != labels[-1] else None
    return lo, hi


def filter_bar(
    show: Iterable[str] = ("quarters", "forces", "risk", "sections"), where=None
) -> Filters:
    """Draw the chosen filters (in the sidebar by default) and return them as ``Filters``.

    Filters not shown on a page still apply, and are listed under the bar so nobody
    reads a filtered picture as the whole region.
    """
    where = where or st.sidebar
    show = tuple(show)
    s = state()
    dims = dimensions()
    where.subheader("Filters")
    if "quarters" in show:
        quarter_range(where)
    if "forces" in show:
        _multiselect("Forces reviewed", "forces", list(dims["forces"]), where, "All forces")
    if "risk" in show:
        risk_opts = [
            r for r in RISK_LEVELS if r in set(dims.get("risk_levels", RISK_LEVELS))
        ] or list(RISK_LEVELS)
        _multiselect("Risk levels", "risk", risk_opts, where, "All risk levels")
    if "sections" in show:
        _multiselect("Sections", "sections", list(dims["sections"]), where, "All sections")
    _write_url(s)
    f = current(dims)
    hidden = [n for n in ("forces", "risk", "sections") if n not in show and s.get(n)]
    if hidden:
        where.caption("Also filtered: " + "; ".join(", ".join(s[n]) for n in hidden))
    if where.button("Clear filters", key="clear_filters", type="tertiary"):
        clear()
        st.rerun()
    return f


def current(dims: dict | None = None) -> Filters:
    """The filters in force now, as the analysis layer takes them."""
    s = state()
    q_from = parse_quarter(s["from"]) if s.get("from") else None
    q_to = parse_quarter(s["to"]) if s.get("to") else None
    return Filters(
        quarter_from=q_from.index if q_from else None,
        quarter_to=q_to.index if q_to else None,
        forces=tuple(s.get("forces") or ()),
        risk_levels=tuple(s.get("risk") or ()),
        sections=tuple(s.get("sections") or ()),
    )


def clear() -> None:
    st.session_state[STATE] = {"from": None, "to": None, "forces": [], "risk": [], "sections": []}
    for k in ("w_quarters", "w_forces", "w_risk", "w_sections"):
        st.session_state.pop(k, None)
    for p in PARAMS.values():
        st.query_params.pop(p, None)


def url_choice(
    label: str,
    options: list[str],
    param: str,
    default: str | None = None,
    where=None,
    format_func=str,
    widget: str = "selectbox",
) -> str | None:
    """A single choice (a quarter, a force) kept in session state and the URL as ``param``.

    ``widget``: "selectbox" (default) or "radio" (drawn horizontally)."""
    where = where or st
    if not options:
        return None
    key, keep = f"w_{param}", f"_c_{param}"
    if key not in st.session_state or page_changed() or st.session_state[key] not in options:
        url = st.query_params.get(param)
        kept = st.session_state.get(keep)
        st.session_state[key] = (
            url
            if url in options
            else kept
            if kept in options
            else default
            if default in options
            else options[-1]
        )
    if widget == "radio":
        value = where.radio(label, options, key=key, format_func=format_func, horizontal=True)
    else:
        value = where.selectbox(label, options, key=key, format_func=format_func)
    st.session_state[keep] = value
    if value in (None, ""):
        st.query_params.pop(param, None)
    elif st.query_params.get(param) != value:
        st.query_params[param] = value
    return value


def url_multichoice(
    label: str,
    options: list[str],
    param: str,
    where=None,
    placeholder: str | None = None,
) -> list[str]:
    """Several choices (grades, themes) kept in session state and the URL as ``param``
    (repeated: ``?grade=Good&grade=Inadequate``), so they survive a page change and a link
    reproduces them. The URL wins when the page opens; else what was chosen before."""
    where = where or st
    key, keep = f"w_{param}", f"_c_{param}"
    if key not in st.session_state or page_changed():
        url = _valid(st.query_params.get_all(param), options)
        st.session_state[key] = url or _valid(st.session_state.get(keep) or [], options)
    else:  # options can change (themes edited, grade scale changed)
        st.session_state[key] = _valid(st.session_state[key], options)
    value = list(where.multiselect(label, options, key=key, placeholder=placeholder))
    st.session_state[keep] = value
    if not value:
        st.query_params.pop(param, None)
    elif list(st.query_params.get_all(param)) != value:
        st.query_params[param] = value
    return value


def describe(f: Filters) -> str:
    """One line saying what the numbers cover (shown under charts and in exports)."""
    from dashboard.vocab import Quarter

    parts = []
    if f.quarter_from is not None or f.quarter_to is not None:
        a = Quarter.from_index(f.quarter_from).label if f.quarter_from is not None else "first"
        b = Quarter.from_index(f.quarter_to).label if f.quarter_to is not None else "latest"
        parts.append(f"{a} to {b}" if a != b else a)
    else:
        parts.append("all quarters")
    parts.append(", ".join(f.forces) if f.forces else "all forces")
    if f.risk_levels:
        parts.append(", ".join(f.risk_levels) + " risk")
    if f.sections:
        parts.append(f"{len(f.sections)} section(s)")
    return "; ".join(parts)


def empty_frame(df: pd.DataFrame | None) -> bool:
    return df is None or len(df) == 0
