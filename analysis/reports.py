"""The command line's reports (contract.md): plain lists of dicts, ready for JSON."""

from __future__ import annotations

import math

import pandas as pd

from analysis.filters import Filters
from analysis.repeat_failures import repeat_failures
from analysis.training_needs import officer_training_needs
from dashboard.settings import Settings

REPEAT_FAILURE_KEYS = (
    "force",
    "question_id",
    "question",
    "section",
    "quarters",
    "streak",
    "current",
    "first_quarter",
    "last_quarter",
)
TRAINING_NEED_KEYS = (
    "force",
    "officer",
    "question_id",
    "question",
    "section",
    "failures",
    "reviews",
    "quarters",
)


def _plain(value):
    """numpy / pandas scalars and arrays as plain JSON values."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _plain(value.tolist())
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _records(df: pd.DataFrame, keys: tuple[str, ...]) -> list[dict]:
    return [{k: _plain(row[k]) for k in keys} for row in df[list(keys)].to_dict("records")]


def repeat_failures_report(
    cur, settings: Settings | None = None, filters: Filters | None = None
) -> list[dict]:
    """Every repeat failure: current ones first, then the longest and most recent."""
    df = repeat_failures(cur, filters or Filters(), settings)
    return _records(df, REPEAT_FAILURE_KEYS)


def training_needs_report(
    cur, settings: Settings | None = None, filters: Filters | None = None
) -> list[dict]:
    """Every officer training need: most reviews with failures first."""
    df = officer_training_needs(cur, filters or Filters(), settings)
    return _records(df, TRAINING_NEED_KEYS)
