"""The Settings page's edits, checked before saving: each problem is one line for a person.

Pure functions (tables in, values out, ``SettingsError`` with the first problem), so the
rules are tested without a browser.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.settings import Settings
from dashboard.vocab import Forces, _norm_force


class SettingsError(ValueError):
    """An edit that cannot be saved; the message is one line."""


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _split(value: object) -> list[str]:
    """Keywords or aliases separated by ``|`` (or commas, which people also type)."""
    return [p.strip() for p in re.split(r"[|,]", _cell(value)) if p.strip()]


def forces_table(forces: Forces) -> pd.DataFrame:
    rows = [
        {"force": f.name, "full_name": f.full_name, "aliases": " | ".join(f.aliases)}
        for f in forces.forces
    ]
    return pd.DataFrame(rows, columns=["force", "full_name", "aliases"])


def forces_from_table(df: pd.DataFrame, with_data: tuple[str, ...] | list[str] = ()) -> Forces:
    """The edited forces table as ``Forces``; refuses blanks, duplicates, shared aliases
    and removing a force that has reviews."""
    rows = []
    for n, r in enumerate(df.to_dict("records"), start=1):
        name, full, aliases = (
            _cell(r.get("force")),
            _cell(r.get("full_name")),
            _split(r.get("aliases")),
        )
        if not (name or full or aliases):
            continue  # an empty row the editor added
        if not name:
            raise SettingsError(f"Row {n}: every force needs a short name.")
        rows.append({"force": name, "full_name": full or name, "aliases": "|".join(aliases)})
    if not rows:
        raise SettingsError("Keep at least one force.")
    owner: dict[str, str] = {}
    for r in rows:
        for word in [r["force"], r["full_name"], *r["aliases"].split("|")]:
            key = _norm_force(word)
            if not key:
                continue
            if key in owner and owner[key] != r["force"]:
                raise SettingsError(
                    f"'{word}' is used for both {owner[key]} and {r['force']}: a name or alias "
                    "may point to one force only."
                )
            owner[key] = r["force"]
    names = [r["force"] for r in rows]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SettingsError(f"{dupes[0]} appears twice.")
    missing = [f for f in with_data if f not in names]
    if missing:
        raise SettingsError(
            f"{missing[0]} has reviews in the database and cannot be removed or renamed; "
            "add the other name as an alias instead."
        )
    return Forces.from_rows(rows)


def themes_table(themes: dict[str, list[str]]) -> pd.DataFrame:
    rows = [{"theme": t, "keywords": " | ".join(k)} for t, k in themes.items()]
    return pd.DataFrame(rows, columns=["theme", "keywords"])


def themes_from_table(df: pd.DataFrame) -> dict[str, list[str]]:
    """The edited themes table as {theme: [keywords]}."""
    out: dict[str, list[str]] = {}
    for n, r in enumerate(df.to_dict("records"), start=1):
        theme, words = _cell(r.get("theme")), _split(r.get("keywords"))
        if not theme and not words:
            continue
        if not theme:
            raise SettingsError(f"Row {n}: every theme needs a name.")
        if not words:
            raise SettingsError(f"{theme}: give at least one keyword.")
        if theme.lower() in {t.lower() for t in out}:
            raise SettingsError(f"The theme {theme} appears twice.")
        out[theme] = list(dict.fromkeys(w.lower() for w in words))
    if not out:
        raise SettingsError("Keep at least one theme.")
    return out


# (minimum, maximum) of each number a person may set
LIMITS: dict[str, tuple[float, float]] = {
    "fail_share": (0.05, 1.0),
    "min_streak": (2, 20),
    "min_officer_reviews": (2, 20),
    "returns_due_days": (0, 365),
    "min_match_confidence": (0.0, 1.0),
    "low_match_confidence": (0.0, 1.0),
    "max_upload_mb": (1, 1000),
    "max_uncompressed_mb": (1, 5000),
    "max_compression_ratio": (10, 10_000),
    "max_cells": (10_000, 50_000_000),
}

THRESHOLDS = (
    "fail_share",
    "min_streak",
    "min_officer_reviews",
    "returns_due_days",
    "min_match_confidence",
    "low_match_confidence",
)
LIMIT_SETTINGS = ("max_upload_mb", "max_uncompressed_mb", "max_compression_ratio", "max_cells")

# the step of each number's input box
STEPS: dict[str, float] = {
    "fail_share": 0.05,
    "min_streak": 1,
    "min_officer_reviews": 1,
    "returns_due_days": 7,
    "min_match_confidence": 0.05,
    "low_match_confidence": 0.05,
    "max_upload_mb": 1,
    "max_uncompressed_mb": 10,
    "max_compression_ratio": 10,
    "max_cells": 100_000,
}

# the Settings form's groups of numbers, in order: (heading, settings)
NUMBER_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Repeat failures and training needs", ("fail_share", "min_streak", "min_officer_reviews")),
    ("Review programme", ("returns_due_days",)),
    ("Question matching", ("min_match_confidence", "low_match_confidence")),
    ("Upload limits", LIMIT_SETTINGS),
)


def check_numbers(values: dict, server_upload_mb: int | None = None) -> dict:
    """The numbers as their setting types, or ``SettingsError`` with the first problem."""
    base = Settings()
    out = {}
    for key, value in values.items():
        lo, hi = LIMITS[key]
        if value is None:
            raise SettingsError(f"{key}: give a value.")
        if not lo <= float(value) <= hi:
            raise SettingsError(f"{key} must be between {lo:g} and {hi:g} (not {value:g}).")
        out[key] = type(getattr(base, key))(value)
    lo_conf = out.get("min_match_confidence", base.min_match_confidence)
    hi_conf = out.get("low_match_confidence", base.low_match_confidence)
    if hi_conf < lo_conf:
        raise SettingsError(
            "low_match_confidence (list a match to check) must be at least "
            "min_match_confidence (keep a row as unmatched)."
        )
    if server_upload_mb is not None and out.get("max_upload_mb", 0) > server_upload_mb:
        raise SettingsError(
            f"max_upload_mb cannot exceed the server's limit of {server_upload_mb} MB "
            "(server.maxUploadSize in .streamlit/config.toml)."
        )
    return out
