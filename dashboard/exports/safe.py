"""Formula-injection neutralising for everything the product writes to CSV or XLSX.

A spreadsheet treats a cell whose text starts with ``= + - @``, a tab or a carriage
return as a formula (or the start of one). Feedback and officer names are typed by
people, so every text value written out passes through ``neutralise``: a leading ``'``
makes it plain text. Numbers, dates and booleans are left alone, so a negative number
stays a number.
"""

from __future__ import annotations

import pandas as pd

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run; else unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell neutralised; numeric columns keep their types."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        if pd.api.types.is_bool_dtype(s):
            continue
        out[col] = s.map(neutralise).astype(s.dtype if s.dtype != object else object)
    return out
