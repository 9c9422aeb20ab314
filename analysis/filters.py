"""The filters every analysis function takes, and the one place they become SQL.

Values are always bound as parameters, never formatted into the SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Filters:
    quarter_from: int | None = None  # Quarter.index, inclusive
    quarter_to: int | None = None  # Quarter.index, inclusive
    forces: tuple[str, ...] = ()  # empty = all
    reviewing_forces: tuple[str, ...] = ()
    risk_levels: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()  # section names
    questions: tuple[str, ...] = ()  # question ids
    officers: tuple[str, ...] = ()

    def where(self, alias: str = "") -> tuple[str, list]:
        """A SQL condition over ``answer_facts`` (prefix columns with ``alias.``) and its params."""
        p = f"{alias}." if alias else ""
        parts: list[str] = ["TRUE"]
        params: list = []
        if self.quarter_from is not None:
            parts.append(f"{p}quarter_idx >= ?")
            params.append(self.quarter_from)
        if self.quarter_to is not None:
            parts.append(f"{p}quarter_idx <= ?")
            params.append(self.quarter_to)
        for col, values in (
            ("force", self.forces),
            ("reviewing_force", self.reviewing_forces),
            ("risk_level", self.risk_levels),
            ("section", self.sections),
            ("question_id", self.questions),
            ("officer", self.officers),
        ):
            if values:
                parts.append(f"list_contains(?, {p}{col})")
                params.append(list(values))
        return " AND ".join(parts), params

    def but(self, **changes) -> Filters:
        """A copy with some fields changed (e.g. one quarter for a drill-down)."""
        from dataclasses import replace

        return replace(self, **changes)


ALL = Filters()
