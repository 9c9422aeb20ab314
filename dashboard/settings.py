"""Settings in one place: each with a default and a line of help.

Values live in the database's ``settings`` table (so they travel with the data); anything
not set there takes its default. No Streamlit here: the importer and analysis read
``Settings`` too.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, fields, replace

import duckdb

from dashboard.vocab import DATA_DIR


def _default_themes() -> dict[str, list[str]]:
    with open(DATA_DIR / "themes.csv", newline="", encoding="utf-8") as fh:
        return {
            r["theme"].strip(): [k.strip() for k in r["keywords"].split("|") if k.strip()]
            for r in csv.DictReader(fh)
        }


@dataclass(frozen=True)
class Settings:
    five_grades: bool = field(
        default=False,
        metadata={
            "help": "Use the five-grade scale (adds Adequate between Good and Requires improvement)."
        },
    )
    fail_share: float = field(
        default=0.5,
        metadata={
            "help": "A force fails a question in a quarter when at least this share of its graded answers are failures."
        },
    )
    min_streak: int = field(
        default=2,
        metadata={"help": "Consecutive failing quarters that make a repeat failure."},
    )
    min_officer_reviews: int = field(
        default=2,
        metadata={
            "help": "Different reviews with a failure on the same question that make an officer training need."
        },
    )
    returns_due_days: int = field(
        default=42,
        metadata={
            "help": "A quarter's returns (cases and their reviews) are due this many days after the quarter ends; later ones are overdue on the Review programme page."
        },
    )
    min_match_confidence: float = field(
        default=0.6,
        metadata={
            "help": "Question text matching below this confidence is kept as an unmatched row for review."
        },
    )
    low_match_confidence: float = field(
        default=0.9,
        metadata={
            "help": "Matches below this confidence are listed in the validation report for a person to check."
        },
    )
    max_upload_mb: int = field(
        default=25,
        metadata={
            "help": "Largest workbook accepted, in MB (Streamlit's server.maxUploadSize is set to match)."
        },
    )
    max_uncompressed_mb: int = field(
        default=200,
        metadata={
            "help": "Largest declared uncompressed size of a workbook's contents, in MB (decompression-bomb guard)."
        },
    )
    max_compression_ratio: int = field(
        default=100,
        metadata={
            "help": "Largest compression ratio allowed for any part of a workbook (decompression-bomb guard)."
        },
    )
    max_cells: int = field(
        default=2_000_000,
        metadata={"help": "Largest declared sheet area (rows x columns) read from a workbook."},
    )
    themes: dict = field(
        default_factory=_default_themes,
        metadata={
            "help": "Feedback themes and the keywords that find them (case-insensitive, word starts)."
        },
    )

    @classmethod
    def help(cls) -> dict[str, str]:
        return {f.name: f.metadata["help"] for f in fields(cls)}

    def with_values(self, values: dict) -> Settings:
        known = {f.name: f for f in fields(self)}
        clean = {}
        for k, v in values.items():
            if k not in known:
                continue
            default = getattr(self, k)
            if isinstance(default, bool):
                v = bool(v)
            elif isinstance(default, int):
                v = int(v)
            elif isinstance(default, float):
                v = float(v)
            clean[k] = v
        return replace(self, **clean)


def load_settings(con: duckdb.DuckDBPyConnection) -> Settings:
    from dashboard.store import get_setting_values

    return Settings().with_values(get_setting_values(con))


def save_settings(con: duckdb.DuckDBPyConnection, values: dict, who: str) -> Settings:
    from dashboard.store import put_settings

    new = load_settings(con).with_values(values)  # validates types
    put_settings(con, {k: getattr(new, k) for k in values if hasattr(new, k)}, who)
    return new
