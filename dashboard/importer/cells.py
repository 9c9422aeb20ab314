"""Read a workbook once into plain grids: values, fill grades, notes and merged ranges.

openpyxl's read-only mode streams values fast but drops merged ranges and comments, so the
workbook is loaded once in normal mode (``data_only`` so formulas give their cached
values). Fills are resolved once per distinct style, not once per cell.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from dashboard.importer.colours import fill_rgb, theme_colours
from dashboard.vocab import grade_for_colour

RC = tuple[int, int]
GUARDED = "=+-@\t\r"  # a leading apostrophe before these is our exports' formula guard


def cell_ref(row: int, col: int) -> str:
    """``(14, 5)`` -> ``E14``: positions as the user sees them."""
    return f"{get_column_letter(col)}{row}"


def col_letter(col: int) -> str:
    return get_column_letter(col)


@dataclass
class SheetGrid:
    """One sheet as plain data. Rows and columns are 1-based, as in Excel."""

    title: str
    hidden: bool = False
    values: dict[RC, object] = field(default_factory=dict)  # non-empty values only
    colour_grades: dict[RC, str] = field(default_factory=dict)  # grade read from the fill
    rgb: dict[RC, tuple[int, int, int]] = field(default_factory=dict)
    notes: dict[RC, str] = field(default_factory=dict)  # Excel comments / notes
    merged: dict[RC, tuple[int, int, int, int]] = field(default_factory=dict)  # top-left -> range
    covered: dict[RC, RC] = field(default_factory=dict)  # cell inside a merge -> its top-left
    max_row: int = 0
    max_col: int = 0
    _rows: dict | None = field(default=None, repr=False, compare=False)
    _rows_n: int = field(default=-1, repr=False, compare=False)

    def value(self, r: int, c: int) -> object:
        return self.values.get((r, c))

    def text(self, r: int, c: int) -> str:
        v = self.values.get((r, c))
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, dt.datetime):
            return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
        if isinstance(v, dt.date):
            return v.isoformat()
        return str(v).strip()

    def _index(self) -> dict[int, list[tuple[int, object]]]:
        if self._rows is None or self._rows_n != len(self.values):
            rows: dict[int, list[tuple[int, object]]] = {}
            for (r, c), v in self.values.items():
                rows.setdefault(r, []).append((c, v))
            for cells in rows.values():
                cells.sort(key=lambda cv: cv[0])
            self._rows, self._rows_n = rows, len(self.values)
        return self._rows

    def row_cells(self, r: int) -> list[tuple[int, object]]:
        """The non-empty cells of row ``r``, left to right."""
        return list(self._index().get(r, ()))

    def rows_with_values(self) -> list[int]:
        return sorted(self._index())

    def merge_width(self, r: int, c: int) -> int:
        """Columns spanned by the merge starting at (r, c); 1 when not merged."""
        m = self.merged.get((r, c))
        return m[3] - m[1] + 1 if m else 1


@dataclass
class WorkbookGrids:
    sheets: list[SheetGrid]
    theme: list[str]


class TooManyCells(ValueError):
    """A sheet holds more cells than ``Settings.max_cells``: refused, not parsed further."""

    def __init__(self, sheet: str, limit: int):
        super().__init__(f"sheet {sheet!r} has more than {limit:,} cells")
        self.sheet, self.limit = sheet, limit


def load_grids(data: bytes, five: bool = False, max_cells: int | None = None) -> WorkbookGrids:
    """Parse the workbook (already passed the safety checks) into grids.

    The direct XML reader is used first (fast); anything it cannot read goes through
    openpyxl, which then also decides whether the file is readable at all.
    """
    from dashboard.importer.xlsx import read_grids

    try:
        return read_grids(data, five, max_cells)
    except TooManyCells:
        raise
    except Exception:  # noqa: BLE001 - fall back to the full parser
        return load_grids_openpyxl(data, five)


def load_grids_openpyxl(data: bytes, five: bool = False) -> WorkbookGrids:
    """The same grids through openpyxl's normal mode (the reference reader)."""
    wb = openpyxl.load_workbook(
        io.BytesIO(data), data_only=True, read_only=False, keep_links=False, rich_text=False
    )
    try:
        theme = theme_colours(getattr(wb, "loaded_theme", None))
        fills = wb._fills  # the workbook's fill table: resolve each fill once
        palette = list(wb._colors) if getattr(wb, "_colors", None) else None
        fill_cache: dict[int, tuple[int, int, int] | None] = {}
        sheets: list[SheetGrid] = []
        for ws in wb.worksheets:
            grid = SheetGrid(title=ws.title, hidden=ws.sheet_state != "visible")
            for mr in ws.merged_cells.ranges:
                grid.merged[(mr.min_row, mr.min_col)] = (
                    mr.min_row,
                    mr.min_col,
                    mr.max_row,
                    mr.max_col,
                )
                for r in range(mr.min_row, mr.max_row + 1):
                    for c in range(mr.min_col, mr.max_col + 1):
                        if (r, c) != (mr.min_row, mr.min_col):
                            grid.covered[(r, c)] = (mr.min_row, mr.min_col)
            max_r = max_c = 0
            for (r, c), cell in ws._cells.items():
                if isinstance(cell, MergedCell):
                    continue
                v = cell._value
                if isinstance(v, str):
                    v = v.strip()
                    if len(v) > 1 and v[0] == "'" and v[1] in GUARDED:
                        v = v[1:]  # our own exports' formula-injection guard, undone
                    if not v:
                        v = None
                if v is not None:
                    grid.values[(r, c)] = v
                    max_r, max_c = max(max_r, r), max(max_c, c)
                fid = cell._style.fillId if cell.has_style else 0
                if fid:
                    if fid not in fill_cache:
                        try:
                            fill_cache[fid] = fill_rgb(fills[fid], theme, palette)
                        except IndexError:
                            fill_cache[fid] = None
                    rgb = fill_cache[fid]
                    if rgb is not None:
                        grid.rgb[(r, c)] = rgb
                        max_r, max_c = max(max_r, r), max(max_c, c)
                        g = grade_for_colour(rgb, five)
                        if g:
                            grid.colour_grades[(r, c)] = g
                if cell.comment is not None:
                    note = note_text(cell.comment.text, cell.comment.author)
                    if note:
                        grid.notes[(r, c)] = note
            grid.max_row, grid.max_col = max_r, max_c
            sheets.append(grid)
        return WorkbookGrids(sheets=sheets, theme=theme)
    finally:
        wb.close()


def note_text(text: str | None, author: str | None) -> str:
    """The words of a note, without Excel's ``Author:`` prefix."""
    text = (text or "").strip()
    author = (author or "").strip()
    if author and text.startswith(author + ":"):
        text = text[len(author) + 1 :].strip()
    if text.startswith("[Threaded comment]"):
        # Excel's fallback text for threaded comments: keep only the comment itself
        parts = text.split("Comment:", 1)
        text = parts[1].strip() if len(parts) == 2 else text
    return text
