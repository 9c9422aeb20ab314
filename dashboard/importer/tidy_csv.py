"""The product's own tidy export as CSV comes back in too (a CSV of any other shape does not).

A ``.csv`` file is read into a one-sheet grid and must carry the tidy columns; a CSV
renamed to ``.xlsx`` is still refused by the safety checks.
"""

from __future__ import annotations

import csv
import io

from dashboard.importer.cells import GUARDED, SheetGrid, WorkbookGrids
from dashboard.importer.colours import theme_colours
from dashboard.importer.labels import norm_label
from dashboard.settings import Settings

_MAX_CELLS_CSV = 5_000_000


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_reason(data: bytes, file_name: str, settings: Settings) -> str | None:
    """Why this CSV cannot be imported, or None when it has the tidy export's columns."""
    if not data:
        return f"{file_name} is empty"
    if len(data) / 1_000_000 > settings.max_upload_mb:
        return f"{file_name} is {len(data) / 1_000_000:.1f} MB, over the {settings.max_upload_mb} MB limit"
    if b"\x00" in data[:4096]:
        return f"{file_name} is not a text CSV file"
    first = next(csv.reader(io.StringIO(_decode(data[:65536]))), [])
    cols = {norm_label(c).replace(" ", "_") for c in first}
    if not {"question_id", "grade"} <= cols or not cols & {"force", "case_id"}:
        return (
            f"{file_name}: a CSV is only accepted in the tidy export's columns "
            "(quarter, force, case_id, question_id, grade ...); save a workbook as .xlsx"
        )
    return None


def csv_grids(data: bytes, file_name: str) -> WorkbookGrids:
    grid = SheetGrid(title="tidy")
    n = 0
    for r, row in enumerate(csv.reader(io.StringIO(_decode(data))), start=1):
        for c, v in enumerate(row, start=1):
            v = v.strip()
            if len(v) > 1 and v[0] == "'" and v[1] in GUARDED:
                v = v[1:]
            if v:
                grid.values[(r, c)] = v
                grid.max_row, grid.max_col = max(grid.max_row, r), max(grid.max_col, c)
                n += 1
        if n > _MAX_CELLS_CSV:
            raise ValueError("too many cells")
    return WorkbookGrids(sheets=[grid], theme=theme_colours(None))
