"""The review programme: rota, expected against received returns, overdue items, chasers.

Fixture: the six configured forces, in the region's order (Cheshire, Greater Manchester,
North Wales, Lancashire, Merseyside, Cumbria), reviewed by the force one place on in
quarter 0 and two places on in quarter 1. In quarter 1 Lancashire sent nothing,
Merseyside sent three of its four risk levels (no Very high), Cheshire's High case came
back without a single grade, and a replaced (inactive) Low review of North Wales is
ignored.
"""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.filters import Filters
from analysis.programme import (
    chaser_emails,
    chaser_text,
    due_date,
    expected_reviewers,
    overdue_items,
    programme_status,
    quarter_totals,
    quarters_not_uploaded,
    returns_grid,
    rota,
    suggest_next_rota,
)
from dashboard.settings import Settings
from dashboard.vocab import RISK_LEVELS, default_forces
from tests.analysis.builder import NA_, RI, UNGRADED, G, q

FORCES = list(default_forces().names)
ALL = Filters()
# quarter 1 (2023/24 Q3) ends 31 December 2023: due 42 days later
DUE_Q1 = dt.date(2024, 2, 11)
LATE = dt.date(2024, 3, 2)  # 20 days after DUE_Q1 (2024 is a leap year)


def reviewer(force: str, shift: int) -> str:
    return FORCES[(FORCES.index(force) + shift) % len(FORCES)]


def quarter(db, i: int, shift: int, skip=(), graded=True) -> None:
    """Every force's four cases in quarter ``i``, reviewed ``shift`` places on; ``skip``
    holds (force, risk level or None for all) left out."""
    for force in FORCES:
        for risk in RISK_LEVELS:
            if (force, None) in skip or (force, risk) in skip:
                continue
            db.review(i, force, {"1.1": G}, risk_level=risk, reviewing_force=reviewer(force, shift))


@pytest.fixture
def prog(db):
    quarter(db, 0, 1)
    quarter(
        db,
        1,
        2,
        skip={("Lancashire", None), ("Merseyside", "Very high"), ("Cheshire", "High")},
    )
    # Cheshire's High case arrived but no answer was graded: the review is not done
    db.review(
        1,
        "Cheshire",
        {"1.1": UNGRADED, "1.2": UNGRADED},
        risk_level="High",
        reviewing_force=reviewer("Cheshire", 2),
    )
    # a replaced review does not count as received
    db.review(
        1, "Lancashire", {"1.1": G}, risk_level="Low", reviewing_force="Cumbria", active=False
    )
    return db


def row(grid, i: int, force: str):
    hit = grid[(grid["quarter_idx"] == q(i).index) & (grid["force"] == force)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_due_date_is_days_after_the_quarter_end():
    assert due_date(q(1).index) == DUE_Q1
    assert due_date(q(1).index, Settings(returns_due_days=10)) == dt.date(2024, 1, 10)


def test_received_against_expected_per_force_and_quarter(prog):
    grid = returns_grid(prog.cur(), ALL, Settings(), LATE)
    assert len(grid) == 2 * 6  # every configured force in every quarter
    full = row(grid, 0, "Cumbria")
    assert (full["expected"], full["received"], full["reviewed"], full["label"]) == (4, 4, 4, "4/4")
    assert full["status"] == "complete" and not full["overdue"]

    missing = row(grid, 1, "Lancashire")  # a missing return (its replaced review ignored)
    assert (missing["received"], missing["reviews"], missing["label"]) == (0, 0, "0/4 - missing")
    assert missing["status"] == "missing" and missing["overdue"]
    assert missing["missing"] == list(RISK_LEVELS)

    three = row(grid, 1, "Merseyside")  # three of four risk levels
    assert (three["received"], three["reviewed"]) == (3, 3)
    assert three["missing"] == ["Very high"]
    assert three["label"] == "3/4 - missing Very high"
    assert three["status"] == "partial"

    undone = row(grid, 1, "Cheshire")  # sent, but the review has no grade
    assert (undone["received"], undone["reviewed"]) == (4, 3)
    assert undone["not_reviewed"] == ["High"]
    assert undone["label"] == "4/4 - not reviewed High"
    assert undone["status"] == "partial"


def test_na_counts_as_a_review_done(db):
    db.review(0, "Cumbria", {"1.1": NA_}, risk_level="Low")
    grid = returns_grid(db.cur(), Filters(forces=("Cumbria",), risk_levels=("Low",)), None, LATE)
    assert list(grid["label"]) == ["1/1"]


def test_nothing_is_overdue_until_the_day_after_the_due_date(prog):
    on_the_day = returns_grid(prog.cur(), ALL, Settings(), DUE_Q1)
    assert not on_the_day["overdue"].any()
    assert row(on_the_day, 1, "Lancashire")["status"] == "not yet due"
    assert overdue_items(prog.cur(), ALL, Settings(), DUE_Q1).empty
    next_day = returns_grid(prog.cur(), ALL, Settings(), DUE_Q1 + dt.timedelta(days=1))
    assert sorted(next_day[next_day["overdue"]]["force"]) == [
        "Cheshire",
        "Lancashire",
        "Merseyside",
    ]


def test_totals_per_quarter(prog):
    totals = quarter_totals(returns_grid(prog.cur(), ALL, Settings(), LATE))
    assert totals[["expected", "received", "reviewed", "complete", "overdue"]].values.tolist() == [
        [24, 24, 24, 6, 0],
        [24, 4 * 3 + 4 + 3 + 0, 4 * 3 + 3 + 3, 3, 3],
    ]


def test_filters_choose_forces_quarters_and_the_risk_levels_expected(prog):
    grid = returns_grid(
        prog.cur(),
        Filters(quarter_from=q(1).index, forces=("Merseyside", "Lancashire")),
        None,
        LATE,
    )
    assert sorted(grid["force"]) == ["Lancashire", "Merseyside"]
    assert set(grid["quarter_idx"]) == {q(1).index}
    high = returns_grid(prog.cur(), Filters(risk_levels=("High",)), None, LATE)
    assert set(high["expected"]) == {1}
    assert row(high, 1, "Merseyside")["label"] == "1/1"  # its missing case is Very high
    assert row(high, 1, "Cheshire")["label"] == "1/1 - not reviewed High"


def test_overdue_items_name_each_missing_case_and_its_reviewer(prog):
    items = overdue_items(prog.cur(), ALL, Settings(), LATE)
    got = list(
        zip(
            items["force"],
            items["risk_level"],
            items["item"],
            items["reviewing_force"],
            strict=True,
        )
    )
    assert got == [
        ("Cheshire", "High", "review not done", "North Wales"),
        ("Lancashire", "Low", "case not received", "Cumbria"),  # from the quarter's rotation
        ("Lancashire", "Medium", "case not received", "Cumbria"),
        ("Lancashire", "High", "case not received", "Cumbria"),
        ("Lancashire", "Very high", "case not received", "Cumbria"),
        ("Merseyside", "Very high", "case not received", "Cheshire"),
    ]
    assert set(items["quarter"]) == {q(1).label}
    assert set(items["days_overdue"]) == {20}


def test_the_rota_as_seen_and_a_missing_force_placed_by_the_rotation(prog):
    r = rota(prog.cur())
    q0 = r[r["quarter_idx"] == q(0).index]
    assert dict(zip(q0["force"], q0["reviewing_force"], strict=True)) == {
        f: reviewer(f, 1) for f in FORCES
    }
    assert "Lancashire" not in set(r[r["quarter_idx"] == q(1).index]["force"])
    assert expected_reviewers(prog.cur(), q(1).index)["Lancashire"] == "Cumbria"


def test_outside_a_rotation_a_missing_force_never_gets_itself_as_reviewer(db):
    # quarter 0: an irregular rota (not one rotation); Cumbria sent nothing
    pairs = {
        "Cheshire": "Merseyside",
        "Greater Manchester": "Lancashire",
        "North Wales": "Cheshire",
        "Lancashire": "Greater Manchester",
        "Merseyside": "North Wales",
    }
    for force, rev in pairs.items():
        db.review(0, force, {"1.1": G}, reviewing_force=rev)
    # the one reviewer not used is Cumbria itself: no suggestion rather than self-review
    assert "Cumbria" not in expected_reviewers(db.cur(), q(0).index)


def test_the_next_rota_continues_the_rotation(prog):
    nxt = suggest_next_rota(prog.cur())
    assert set(nxt["quarter"]) == {q(2).label}
    assert dict(zip(nxt["force"], nxt["reviewing_force"], strict=True)) == {
        f: reviewer(f, 3) for f in FORCES
    }
    assert (nxt["force"] != nxt["reviewing_force"]).all()


def test_the_next_rota_skips_a_force_reviewing_itself(db):
    quarter(db, 0, 4)
    quarter(db, 1, 5)
    nxt = suggest_next_rota(db.cur())
    # after 4 and 5 places on comes 1 (6 places on would be the force itself)
    assert dict(zip(nxt["force"], nxt["reviewing_force"], strict=True)) == {
        f: reviewer(f, 1) for f in FORCES
    }


def test_without_a_pattern_the_suggestion_avoids_recent_pairings(db):
    # quarter 0: rotation 1 place on except two forces swapped: not a rotation
    for force in FORCES:
        rev = reviewer(force, 1)
        if force == "Cheshire":
            rev = "North Wales"
        if force == "Greater Manchester":
            rev = "Cheshire"
        db.review(0, force, {"1.1": RI}, reviewing_force=rev)
    nxt = suggest_next_rota(db.cur())
    pairs = dict(zip(nxt["force"], nxt["reviewing_force"], strict=True))
    assert all(f != r for f, r in pairs.items())
    assert sorted(pairs.values()) == sorted(FORCES)  # each force reviews exactly one other
    used = {("Cheshire", "North Wales"), ("Greater Manchester", "Cheshire")} | {
        (f, reviewer(f, 1)) for f in FORCES[2:]
    }
    assert not set(pairs.items()) & used
    assert "no regular pattern" in nxt["basis"].iloc[0]


def test_chaser_emails_one_per_overdue_force(prog):
    emails = chaser_emails(prog.cur(), ALL, Settings(), LATE)
    assert [e["force"] for e in emails] == ["Cheshire", "Lancashire", "Merseyside"]
    lancs = emails[1]
    assert lancs["to"] == "SOMU lead, Lancashire Constabulary"
    assert lancs["cc"] == "SOMU lead, Cumbria Constabulary (reviewing force)"
    assert q(1).label in lancs["subject"]
    body = lancs["body"]
    for risk in RISK_LEVELS:
        assert f"  - {risk} risk case: case not received" in body
    assert "due 11 February 2024, 20 days overdue" in body
    assert "reviewing force Cumbria" in body
    assert "review not done" in emails[0]["body"]
    text = chaser_text(lancs)
    assert text.startswith("To: SOMU lead, Lancashire Constabulary\nCc: ")
    assert "\nSubject: " in text and text.endswith(body)
    assert chaser_emails(prog.cur(), ALL, Settings(), DUE_Q1) == []


@pytest.mark.parametrize("as_of", [DUE_Q1, LATE])
def test_the_page_status_is_the_grid_items_and_emails_from_one_grid(prog, as_of):
    cur = prog.cur()
    one = programme_status(cur, Filters(forces=("Cheshire", "Lancashire")), Settings(), as_of)
    f = Filters(forces=("Cheshire", "Lancashire"))
    assert one["grid"].equals(returns_grid(cur, f, Settings(), as_of))
    assert one["items"].equals(overdue_items(cur, f, Settings(), as_of))
    assert one["emails"] == chaser_emails(cur, f, Settings(), as_of)
    assert (len(one["items"]) > 0) == (as_of == LATE)


def test_quarters_with_nothing_uploaded_once_due(prog):
    # the latest quarter with data is quarter 1; quarter 2 (Jan-Mar 2024) is due 12 May 2024
    assert quarters_not_uploaded(prog.cur(), Settings(), dt.date(2024, 5, 12)).empty
    late = quarters_not_uploaded(prog.cur(), Settings(), dt.date(2024, 8, 12))
    assert list(late["quarter"]) == [q(2).label, q(3).label]
    assert list(late["due_date"]) == [dt.date(2024, 5, 12), dt.date(2024, 8, 11)]


def test_an_empty_database(db):
    cur = db.cur()
    assert returns_grid(cur, ALL, None, LATE).empty
    assert overdue_items(cur, ALL, None, LATE).empty
    assert rota(cur).empty and suggest_next_rota(cur).empty
    assert chaser_emails(cur, ALL, None, LATE) == []
    assert quarters_not_uploaded(cur, None, LATE).empty
    assert quarter_totals(returns_grid(cur, ALL, None, LATE)).empty


def test_outside_a_rotation_a_missing_force_gets_the_one_reviewer_left(db):
    pairs = {
        "Cheshire": "Merseyside",
        "Greater Manchester": "Cumbria",
        "North Wales": "Cheshire",
        "Lancashire": "Greater Manchester",
        "Merseyside": "North Wales",
    }
    for force, rev in pairs.items():
        db.review(0, force, {"1.1": G}, reviewing_force=rev)
    assert expected_reviewers(db.cur(), q(0).index)["Cumbria"] == "Lancashire"


def test_a_review_without_a_risk_level_is_counted_apart(db):
    db.review(0, "Cumbria", {"1.1": G}, risk_level="Low")
    db.review(0, "Cumbria", {"1.1": G}, risk_level=None)
    grid = returns_grid(db.cur(), Filters(forces=("Cumbria",)), None, LATE)
    r = grid.iloc[0]
    assert (r["received"], r["reviews"], r["no_level"]) == (1, 2, 1)
    assert r["label"] == "1/4 - missing Medium, High, Very high (+1 without a risk level)"
