"""The Review programme page on the demo (its latest quarter, 2025/26 Q3, lacks the
returns of Greater Manchester and Cumbria), on a complete fixture and before a due date."""

from __future__ import annotations

import datetime as dt
import re

from dashboard.vocab import GOOD, INADEQUATE
from tests.pages.conftest import open_app, texts

LATEST = "2025/26 Q3"


def _no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _frame_with(at, *columns):
    for d in at.dataframe:
        if all(c in d.value.columns for c in columns):
            return d.value
    raise AssertionError(f"no table with {columns}")


def _cell_css(at, table_index: int = 0) -> dict[tuple[int, int], str]:
    """(row, column) -> the CSS the table's Styler gave that cell."""
    styles = at.dataframe[table_index].proto.arrow_data.styler.styles
    out = {}
    for selectors, css in re.findall(r"([^{}]+)\{([^}]*)\}", styles):
        for sel in selectors.split(","):
            m = re.search(r"_row(\d+)_col(\d+)", sel)
            if m:
                out[(int(m.group(1)), int(m.group(2)))] = css
    return out


def test_the_demo_shows_the_two_missing_returns_as_missing_and_overdue(demo_db):
    at = open_app(demo_db, "programme")
    _no_exception(at)
    at.date_input(key="prog_as_of").set_value(dt.date(2026, 3, 1)).run()  # after the due date
    _no_exception(at)
    grid = _frame_with(at, "force", LATEST).set_index("force")
    assert grid.loc["Greater Manchester", LATEST] == "0/4 - missing"
    assert grid.loc["Cumbria", LATEST] == "0/4 - missing"
    assert (grid.drop(index=["Greater Manchester", "Cumbria"])[LATEST] == "4/4").all()
    assert (grid.drop(columns=[LATEST]) == "4/4").all().all()  # earlier quarters complete
    # colour and text: red for nothing received, green for complete
    css = _cell_css(at)
    col = list(grid.reset_index().columns).index(LATEST)
    rows = list(grid.index)
    assert INADEQUATE.colour in css[(rows.index("Cumbria"), col)]
    assert INADEQUATE.colour in css[(rows.index("Greater Manchester"), col)]
    assert GOOD.colour in css[(rows.index("Cheshire"), col)]

    overdue = _frame_with(at, "risk_level", "item", "days_overdue")
    assert sorted(set(overdue["force"])) == ["Cumbria", "Greater Manchester"]
    assert len(overdue) == 8 and set(overdue["quarter"]) == {LATEST}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[f"Received, {LATEST}"] == "16/24"
    assert metrics["Overdue returns"] == "8"

    # one chaser per late force, as copyable plain text (st.code), never Markdown
    chasers = [c.value for c in at.code]
    assert len(chasers) == 2
    gm = next(c for c in chasers if "from Greater Manchester" in c)
    assert gm.startswith("To: SOMU lead, Greater Manchester Police\n")
    assert "Very high risk case: case not received" in gm

    # the rota: who reviewed whom, and next quarter's suggestion with no self-review
    rota = _frame_with(at, "force", "2025/26 Q4 (suggested)").set_index("force")
    nxt = rota["2025/26 Q4 (suggested)"]
    assert sorted(nxt) == sorted(rota.index) and all(nxt.index != nxt.values)
    assert rota.loc["Cumbria", LATEST].endswith("(no return)")


def test_before_the_due_date_nothing_is_overdue(demo_db):
    at = open_app(demo_db, "programme")
    at.date_input(key="prog_as_of").set_value(dt.date(2026, 2, 11)).run()  # the due date
    _no_exception(at)
    assert any("Nothing is overdue" in t for t in texts(at))
    assert not at.code
    grid = _frame_with(at, "force", LATEST).set_index("force")
    assert grid.loc["Cumbria", LATEST] == "0/4 - missing"  # the words stay; the colour is grey


def test_a_complete_programme_has_nothing_overdue(fixture_db):
    at = open_app(fixture_db, "programme", query={"force": "Cumbria"})
    _no_exception(at)
    grid = _frame_with(at, "force", "2024/25 Q3")
    assert list(grid["force"]) == ["Cumbria"] and (grid.drop(columns="force") == "4/4").all().all()
    assert any("Nothing is overdue" in t for t in texts(at))


def test_an_empty_database_explains_how_to_load_data(empty_db):
    at = open_app(empty_db, "programme")
    _no_exception(at)
    assert any("no reviews in the database yet" in t for t in texts(at))


def test_the_due_days_setting_moves_the_deadline(tmp_path):
    from dashboard import store
    from dashboard.settings import save_settings
    from tests.demo_db import demo_copy

    db = demo_copy(tmp_path)
    at = open_app(db, "settings")
    _no_exception(at)
    assert at.number_input(key="returns_due_days").value == 42
    con = store.connect(db)
    save_settings(con, {"returns_due_days": 365}, "page-test")
    con.close()
    at = open_app(db, "programme")
    at.date_input(key="prog_as_of").set_value(dt.date(2026, 12, 4)).run()
    _no_exception(at)
    # 2025/26 Q3 ended 31 December 2025: with 365 days its returns are due 31 December 2026
    assert any("due 365 days after the quarter ends" in t for t in texts(at))
    assert any("Nothing is overdue" in t for t in texts(at))
