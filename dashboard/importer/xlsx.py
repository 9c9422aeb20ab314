"""A direct reader of the parts of an .xlsx the importer needs, into ``SheetGrid``s.

openpyxl's normal mode builds a full object model (styles per cell, borders re-applied over
every merged range) that the importer then throws away; its read-only mode drops merged
ranges and notes. Reading the XML parts directly - shared strings, the fill and number
format tables, each sheet's cells and merged ranges, notes, the theme - gives the same
grids several times faster. ``cells.load_grids`` (openpyxl) stays as the fallback for
anything this reader does not understand, and a test checks that both give the same grid.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from xml.etree import ElementTree as ET

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from dashboard.importer.cells import GUARDED, SheetGrid, TooManyCells, WorkbookGrids, note_text
from dashboard.importer.colours import fill_rgb, theme_colours
from dashboard.vocab import grade_for_colour

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class _Colour:
    """Just enough of openpyxl's ``Color`` for ``colours.colour_rgb``."""

    __slots__ = ("type", "rgb", "theme", "indexed", "tint")

    def __init__(self, el: ET.Element | None):
        self.type = None
        self.rgb = self.theme = self.indexed = None
        self.tint = 0.0
        if el is None:
            return
        self.tint = float(el.get("tint") or 0)
        if el.get("rgb") is not None:
            self.type, self.rgb = "rgb", el.get("rgb")
        elif el.get("theme") is not None:
            self.type, self.theme = "theme", int(el.get("theme"))
        elif el.get("indexed") is not None:
            self.type, self.indexed = "indexed", int(el.get("indexed"))


class _Pattern:
    tagname = "patternFill"

    def __init__(self, el: ET.Element):
        self.patternType = el.get("patternType")
        self.fgColor = _Colour(el.find(MAIN + "fgColor"))
        self.bgColor = _Colour(el.find(MAIN + "bgColor"))


class _Stop:
    def __init__(self, el: ET.Element):
        self.color = _Colour(el.find(MAIN + "color"))


class _Gradient:
    tagname = "gradientFill"

    def __init__(self, el: ET.Element):
        self.stop = [_Stop(s) for s in el.findall(MAIN + "stop")]


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type suffix, resolved part name) for ``part``."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in z.NameToInfo:
        return {}
    out = {}
    for r in ET.fromstring(z.read(rels_name)).iter(PKG + "Relationship"):
        target = r.get("Target") or ""
        if r.get("TargetMode") == "External":
            continue
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[r.get("Id")] = ((r.get("Type") or "").rsplit("/", 1)[-1], path)
    return out


def _text_of(si: ET.Element) -> str:
    """A shared/inline string: every run's text, without phonetic guides."""
    parts = []
    for child in si:
        tag = child.tag
        if tag == MAIN + "t":
            parts.append(child.text or "")
        elif tag == MAIN + "r":
            t = child.find(MAIN + "t")
            if t is not None:
                parts.append(t.text or "")
    return "".join(parts)


def read_grids(data: bytes, five: bool = False, max_cells: int | None = None) -> WorkbookGrids:
    z = zipfile.ZipFile(io.BytesIO(data))
    with z:
        wb_part = "xl/workbook.xml"
        wb = ET.fromstring(z.read(wb_part))
        if wb.tag != MAIN + "workbook":
            raise ValueError(f"unexpected workbook namespace {wb.tag!r}")  # e.g. Strict OOXML
        rels = _rels(z, wb_part)
        by_type = {}
        for kind, path in rels.values():
            by_type.setdefault(kind, path)
        pr = wb.find(MAIN + "workbookPr")
        epoch = (
            CALENDAR_MAC_1904
            if pr is not None and pr.get("date1904") in ("1", "true")
            else CALENDAR_WINDOWS_1900
        )

        shared: list[str] = []
        if by_type.get("sharedStrings") in z.NameToInfo:
            root = ET.fromstring(z.read(by_type["sharedStrings"]))
            shared = [_text_of(si) for si in root.iter(MAIN + "si")]

        theme = theme_colours(
            z.read(by_type["theme"]) if by_type.get("theme") in z.NameToInfo else None
        )
        xf_fill: list[int] = []
        xf_date: set[int] = set()
        xf_delta: set[int] = set()
        fills: list = []
        palette: list[str] | None = None
        if by_type.get("styles") in z.NameToInfo:
            st = ET.fromstring(z.read(by_type["styles"]))
            custom = {
                int(n.get("numFmtId")): n.get("formatCode") or "" for n in st.iter(MAIN + "numFmt")
            }
            fl = st.find(MAIN + "fills")
            for f in fl if fl is not None else []:
                p = f.find(MAIN + "patternFill")
                g = f.find(MAIN + "gradientFill")
                fills.append(
                    _Pattern(p) if p is not None else _Gradient(g) if g is not None else None
                )
            xfs = st.find(MAIN + "cellXfs")
            for i, xf in enumerate(xfs if xfs is not None else []):
                xf_fill.append(int(xf.get("fillId") or 0))
                fmt_id = int(xf.get("numFmtId") or 0)
                code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id) or ""
                if code and is_date_format(code):
                    xf_date.add(i)
                    if is_timedelta_format(code):
                        xf_delta.add(i)
            colors = st.find(MAIN + "colors")
            if colors is not None and colors.find(MAIN + "indexedColors") is not None:
                palette = [
                    c.get("rgb") or "00000000"
                    for c in colors.find(MAIN + "indexedColors").iter(MAIN + "rgbColor")
                ]

        fill_cache: dict[int, tuple] = {}

        def rgb_of_style(s: int):
            if s in fill_cache:
                return fill_cache[s]
            rgb = None
            if s < len(xf_fill):
                fid = xf_fill[s]
                if fid and fid < len(fills) and fills[fid] is not None:
                    f = fills[fid]
                    if palette is not None:
                        _use_palette(f, palette)
                    rgb = fill_rgb(f, theme)
            fill_cache[s] = rgb
            return rgb

        sheets: list[SheetGrid] = []
        sheets_el = wb.find(MAIN + "sheets")
        for s in sheets_el if sheets_el is not None else []:
            rid = s.get(REL + "id")
            kind, part = rels.get(rid, ("", ""))
            if kind != "worksheet" or part not in z.NameToInfo:
                continue  # chart sheets, dialog sheets: not worksheets (as openpyxl)
            grid = SheetGrid(
                title=s.get("name") or "", hidden=(s.get("state") or "visible") != "visible"
            )
            _read_sheet(
                z, part, grid, shared, epoch, xf_date, xf_delta, rgb_of_style, five, max_cells
            )
            sheets.append(grid)
        if not sheets:
            raise ValueError("no worksheets found")  # let openpyxl have its say
        return WorkbookGrids(sheets=sheets, theme=theme)


def _use_palette(fill, palette: list[str]) -> None:
    """A workbook's own legacy palette replaces the default indexed colours."""
    colours = [getattr(fill, "fgColor", None), getattr(fill, "bgColor", None)]
    colours += [st.color for st in getattr(fill, "stop", [])]
    for c in colours:
        if (
            c is not None
            and c.type == "indexed"
            and c.indexed is not None
            and c.indexed < len(palette)
        ):
            c.type, c.rgb = "rgb", palette[c.indexed]


def _read_sheet(
    z,
    part,
    grid: SheetGrid,
    shared,
    epoch,
    xf_date,
    xf_delta,
    rgb_of_style,
    five,
    max_cells: int | None = None,
) -> None:
    values = grid.values
    raw: dict = {}
    rgbs: dict = {}
    merges: list[str] = []
    row_counter = 0
    col_counter = 0
    c_tag, row_tag, v_tag, is_tag, mc_tag = (
        MAIN + "c",
        MAIN + "row",
        MAIN + "v",
        MAIN + "is",
        MAIN + "mergeCell",
    )
    with z.open(part) as fh:
        for _event, el in ET.iterparse(fh, events=("end",)):
            tag = el.tag
            if tag == c_tag:
                ref = el.get("r")
                if ref:
                    r, c = coordinate_to_tuple(ref)
                    col_counter = c
                else:
                    col_counter += 1
                    r, c = row_counter, col_counter
                t = el.get("t", "n")
                s = int(el.get("s") or 0)
                value = None
                if t == "inlineStr":
                    child = el.find(is_tag)
                    value = _text_of(child) if child is not None else None
                else:
                    v = el.findtext(v_tag)
                    if v is not None and v != "":
                        if t == "n":
                            value = _number(v)
                            if s in xf_date:
                                try:
                                    value = from_excel(value, epoch, timedelta=s in xf_delta)
                                except (OverflowError, ValueError):
                                    value = "#VALUE!"
                        elif t == "s":
                            value = shared[int(v)]
                        elif t == "b":
                            value = bool(int(v))
                        elif t == "d":
                            value = from_ISO8601(v)
                        else:  # str (formula text), e (error)
                            value = v
                raw[(r, c)] = value
                if max_cells is not None and len(raw) > max_cells:
                    raise TooManyCells(grid.title, max_cells)
                if s:
                    rgb = rgb_of_style(s)
                    if rgb is not None:
                        rgbs[(r, c)] = rgb
                el.clear()
            elif tag == row_tag:
                rr = el.get("r")
                row_counter = int(rr) if rr else row_counter + 1
                col_counter = 0
                el.clear()
            elif tag == mc_tag:
                merges.append(el.get("ref"))
    row_counter = 0
    for ref in merges:
        if not ref or ":" not in ref:
            continue
        c1, r1, c2, r2 = range_boundaries(ref)
        grid.merged[(r1, c1)] = (r1, c1, r2, c2)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    grid.covered[(r, c)] = (r1, c1)
    max_r = max_c = 0
    covered = grid.covered
    for (r, c), v in raw.items():
        if (r, c) in covered:
            continue
        if isinstance(v, str):
            v = v.strip()
            if len(v) > 1 and v[0] == "'" and v[1] in GUARDED:
                v = v[1:]
            if not v:
                v = None
        if v is not None:
            values[(r, c)] = v
            max_r, max_c = max(max_r, r), max(max_c, c)
    for (r, c), rgb in rgbs.items():
        if (r, c) in covered:
            continue
        grid.rgb[(r, c)] = rgb
        max_r, max_c = max(max_r, r), max(max_c, c)
        g = grade_for_colour(rgb, five)
        if g:
            grid.colour_grades[(r, c)] = g
    grid.max_row, grid.max_col = max_r, max_c
    # notes (legacy comments) live in their own part
    for kind, path in _rels(z, part).values():
        if kind == "comments" and path in z.NameToInfo:
            root = ET.fromstring(z.read(path))
            authors = [a.text or "" for a in root.iter(MAIN + "author")]
            for cm in root.iter(MAIN + "comment"):
                ref = cm.get("ref")
                text_el = cm.find(MAIN + "text")
                if not ref or text_el is None:
                    continue
                r, c = coordinate_to_tuple(ref)
                if (r, c) in covered:
                    continue
                aid = int(cm.get("authorId") or 0)
                author = authors[aid] if aid < len(authors) else ""
                note = note_text(_text_of(text_el), author)
                if note:
                    grid.notes[(r, c)] = note


def _number(v: str):
    if "." in v or "E" in v or "e" in v:
        f = float(v)
        return f
    try:
        return int(v)
    except ValueError:
        return float(v)
