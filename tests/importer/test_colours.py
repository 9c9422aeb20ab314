"""The colour a reader sees: RGB, theme colour with Excel's tint, legacy indexed colours."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from openpyxl.styles import Color, GradientFill, PatternFill

from dashboard.importer.cells import load_grids_openpyxl
from dashboard.importer.colours import apply_tint, fill_rgb, grade_for_fill, theme_colours
from dashboard.importer.xlsx import read_grids
from tests.importer import workbooks as wbs

THEME = theme_colours(None)


@pytest.mark.parametrize(
    "theme, tint, expected",
    [
        (9, 0.3999, (0xFA, 0xC0, 0x90)),  # Excel: "Orange, Accent 6, Lighter 40%" = FAC090
        (5, -0.2499, (0x95, 0x37, 0x35)),  # Excel: "Red, Accent 2, Darker 25%" = 953735
        (6, 0.0, (0x9B, 0xBB, 0x59)),  # accent 3 as it is
    ],
)
def test_theme_colour_with_tint_matches_excel(theme, tint, expected):
    got = fill_rgb(PatternFill("solid", fgColor=Color(theme=theme, tint=tint)), THEME)
    assert all(abs(a - b) <= 1 for a, b in zip(got, expected, strict=True))


@pytest.mark.parametrize(
    "fill, grade",
    [
        (PatternFill("solid", fgColor="FFC6EFCE"), "Good"),  # Excel's "Good" style
        (
            PatternFill("solid", fgColor="FFFFEB9C"),
            "Requires improvement",
        ),  # Excel's "Neutral" style
        (PatternFill("solid", fgColor="FFFFC7CE"), "Inadequate"),  # Excel's "Bad" style
        (PatternFill("solid", fgColor=Color(indexed=13)), "Outstanding"),  # legacy yellow
        (PatternFill("solid", fgColor=Color(indexed=52)), "Requires improvement"),  # legacy orange
        (PatternFill("solid", fgColor=Color(indexed=17)), "Good"),  # legacy green
        (GradientFill(stop=("FF00B050", "FFFFFFFF")), "Good"),
        (PatternFill("solid", fgColor="FFDDEBF7"), None),  # pale blue input cell
        (PatternFill("solid", fgColor="FFBDBDBD"), None),  # grey
        (PatternFill(fill_type=None, fgColor="FFFF0000"), None),  # no pattern: no fill
        (PatternFill("solid", fgColor=Color(indexed=64)), None),  # system colour
    ],
)
def test_fills_to_grades(fill, grade):
    assert grade_for_fill(fill, THEME) == grade


def test_a_workbooks_own_legacy_palette_is_used():
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "x"
    ws["A1"].fill = PatternFill("solid", fgColor=Color(indexed=10))  # red in the default palette
    palette = list(wb._colors)
    palette[10] = "0000B050"  # this workbook's palette says green
    wb._colors = palette
    data = wbs.to_bytes(wb)
    assert read_grids(data).sheets[0].colour_grades[(1, 1)] == "Good"
    assert load_grids_openpyxl(data).sheets[0].colour_grades[(1, 1)] == "Good"


def test_tint_bounds():
    assert apply_tint((0, 0, 0), 1.0) == (255, 255, 255)
    assert apply_tint((255, 255, 255), -1.0) == (0, 0, 0)
