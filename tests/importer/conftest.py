"""Importer test fixtures: an on-disk database per test, and a one-call import helper."""

from __future__ import annotations

import pytest

from dashboard import store


@pytest.fixture
def con(tmp_path):
    c = store.connect(tmp_path / "arms.duckdb")
    yield c
    c.close()


def grades_read(plan) -> dict[tuple[str, str | None], dict[str, str | None]]:
    """{(force, risk level): {question_id: grade}} from a plan."""
    return {
        (r.force, r.risk_level): {a.question_id: a.grade for a in r.answers} for r in plan.reviews
    }


def grades_written(cases_by_force) -> dict[tuple[str, str | None], dict[str, str | None]]:
    return {
        (c.force, c.risk_level): dict(c.grades) for cases in cases_by_force.values() for c in cases
    }


def counts_add_up(plan) -> bool:
    """Every grade cell read became an answer or a row kept for review."""
    return plan.cells_read == len(plan.answers) + len(plan.unmatched)
