"""The Review programme page's two grids: who reviews whom (with next quarter's suggested
rota), and received against expected returns coloured by status, always with the words."""

from __future__ import annotations

import pandas as pd

from analysis.programme import (
    STATUS_COMPLETE,
    STATUS_MISSING,
    STATUS_NOT_DUE,
    STATUS_PARTIAL,
)
from dashboard.vocab import GOOD, INADEQUATE, NO_DATA_COLOUR, REQUIRES_IMPROVEMENT

# status -> (fill, text colour): the grade palette people already read as pass/at risk/fail
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    STATUS_COMPLETE: (GOOD.colour, GOOD.text_colour),
    STATUS_PARTIAL: (REQUIRES_IMPROVEMENT.colour, REQUIRES_IMPROVEMENT.text_colour),
    STATUS_MISSING: (INADEQUATE.colour, INADEQUATE.text_colour),
    STATUS_NOT_DUE: (NO_DATA_COLOUR, REQUIRES_IMPROVEMENT.text_colour),
}

LEGEND = (
    "Each cell: cases received of those expected (one per risk level). Green: all received "
    "and reviewed; amber: some missing or not yet reviewed, past the due date; red: nothing "
    "received, past the due date; grey: incomplete but not yet due. The words say the same."
)


def _pivot(grid: pd.DataFrame, values: str) -> pd.DataFrame:
    forces = list(dict.fromkeys(grid["force"]))
    quarters = list(dict.fromkeys(grid.sort_values("quarter_idx")["quarter"]))
    out = grid.pivot(index="force", columns="quarter", values=values)
    return out.reindex(index=forces, columns=quarters)


def returns_matrix(grid: pd.DataFrame) -> pd.DataFrame:
    """Force x quarter labels ("4/4", "0/4 - missing"), one row per force."""
    if grid.empty:
        return pd.DataFrame()
    return _pivot(grid, "label").reset_index().rename_axis(columns=None)


def returns_styler(grid: pd.DataFrame):
    """A styling function for ``returns_matrix(grid)``: each cell filled by its status."""
    status = _pivot(grid, "status").reset_index(drop=True)

    def css(s: object) -> str:
        fill, text = STATUS_COLOURS.get(str(s), (None, None))
        return f"background-color: {fill}; color: {text}" if fill else ""

    def style(shown: pd.DataFrame):
        def colours(df: pd.DataFrame) -> pd.DataFrame:
            out = pd.DataFrame("", index=df.index, columns=df.columns)
            for col in status.columns:
                if col in out.columns:
                    out[col] = status[col].map(css).reindex(df.index).fillna("")
            return out

        return shown.style.apply(colours, axis=None)

    return style


def rota_matrix(grid: pd.DataFrame, suggested: pd.DataFrame) -> pd.DataFrame:
    """Force x quarter: the force reviewing it that quarter; a reviewer placed by the
    rotation for a missing return is marked; the next quarter's suggestion last."""
    if grid.empty:
        return pd.DataFrame()
    g = grid.assign(
        who=[
            (r or "?") + (" (no return)" if n == 0 else "")
            for r, n in zip(grid["reviewing_force"], grid["reviews"], strict=True)
        ]
    )
    out = _pivot(g, "who")
    if len(suggested):
        label = f"{suggested['quarter'].iloc[0]} (suggested)"
        nxt = dict(zip(suggested["force"], suggested["reviewing_force"], strict=True))
        out[label] = out.index.map(nxt)
    return out.reset_index().rename_axis(columns=None)
