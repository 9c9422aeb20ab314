"""Headline tiles: a number, what it is of (n), and the change on last quarter."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    n_text: str = ""  # e.g. "of 576 graded answers"
    delta: str | None = None
    delta_good_when_up: bool = True
    help: str | None = None


def pct(share: float | None, digits: int = 0) -> str:
    return "-" if share is None else f"{100 * share:.{digits}f}%"


def pts(change: float | None) -> str | None:
    return None if change is None else f"{change:+.1f} pts"


def tiles(items: list[Tile]) -> None:
    cols = st.columns(len(items), border=True)
    for col, t in zip(cols, items, strict=True):
        with col:
            st.metric(
                t.label,
                t.value,
                delta=t.delta,
                delta_color="normal" if t.delta_good_when_up else "inverse",
                help=t.help,
            )
            if t.n_text:
                st.caption(t.n_text)
