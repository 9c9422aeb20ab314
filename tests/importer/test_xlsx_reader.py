"""The direct XML reader gives the same grids as openpyxl (the reference), several times faster."""

from __future__ import annotations

import pytest

from dashboard.importer.cells import load_grids, load_grids_openpyxl
from dashboard.importer.xlsx import read_grids
from tests.importer import workbooks as wbs

FIELDS = (
    "title",
    "hidden",
    "values",
    "colour_grades",
    "rgb",
    "notes",
    "merged",
    "covered",
    "max_row",
    "max_col",
)

SHADES = {
    "Outstanding": wbs.indexed_fill(13),
    "Good": wbs.theme_fill(6, 0.4),
    "Requires improvement": wbs.theme_fill(9, -0.25),
    "Inadequate": wbs.theme_fill(5),
}


def _cases():
    return {"Cheshire": wbs.make_cases("Cheshire"), "Lancashire": wbs.make_cases("Lancashire", 2)}


@pytest.mark.parametrize(
    "make",
    [
        lambda: wbs.canonical()[0],
        lambda: wbs.build_blocks(
            _cases(), wbs.Blocks(grade_mode="colour_note", hidden_sheets=("Lists",))
        ),
        lambda: wbs.build_blocks(_cases(), wbs.Blocks(grade_mode="colour", shade=SHADES.get)),
        lambda: wbs.build_blocks(
            _cases(), wbs.Blocks(top_blank_rows=2, left_blank_cols=1, merged_sections=False)
        ),
        lambda: wbs.build_transposed(_cases()),
        lambda: wbs.build_single(wbs.make_cases("Cumbria", 1)[0]),
    ],
    ids=["canonical", "notes-hidden", "theme-indexed", "offsets", "transposed", "single"],
)
def test_same_grids_as_openpyxl(make):
    data = make()
    ref, fast = load_grids_openpyxl(data), read_grids(data)
    assert ref.theme == fast.theme
    assert len(ref.sheets) == len(fast.sheets)
    for a, b in zip(ref.sheets, fast.sheets, strict=True):
        for f in FIELDS:
            assert getattr(a, f) == getattr(b, f), (a.title, f)


def test_dates_and_numbers_keep_their_types():
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"], ws["A4"] = dt.date(2024, 5, 14), 3, 2.5, True
    ws["A1"].number_format = "dd/mm/yyyy"
    grid = read_grids(wbs.to_bytes(wb)).sheets[0]
    assert grid.values == {(1, 1): dt.datetime(2024, 5, 14), (2, 1): 3, (3, 1): 2.5, (4, 1): True}


def test_a_workbook_the_fast_reader_cannot_read_goes_through_openpyxl(monkeypatch):
    import dashboard.importer.xlsx as fast

    data, _ = wbs.canonical(n_forces=1)

    def broken(*_a, **_k):
        raise KeyError("something unusual")

    monkeypatch.setattr(fast, "read_grids", broken)
    grids = load_grids(data)
    assert grids.sheets[0].title == "Cheshire" and grids.sheets[0].values
