"""Cell fill -> RGB -> grade.

Fills come as plain RGB, as a theme colour with a tint (resolved from the workbook's own
theme XML, the way Excel does) or as a legacy indexed colour. Classification by hue is
``vocab.grade_for_colour``; this module only finds the colour a reader actually sees.
Conditional formatting is not visible here (it is evaluated by Excel at display time), so
for such workbooks the grade text is the truth.
"""

from __future__ import annotations

import colorsys
import re

from openpyxl.styles.colors import COLOR_INDEX

from dashboard.vocab import grade_for_colour

RGB = tuple[int, int, int]

# Excel numbers theme colours lt1, dk1, lt2, dk2, accent1..6, hlink, folHlink, while the
# theme XML lists dk1, lt1, dk2, lt2, ...: the first two pairs are swapped.
_THEME_XML_ORDER = (
    "dk1",
    "lt1",
    "dk2",
    "lt2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hlink",
    "folHlink",
)
_EXCEL_THEME_ORDER = (
    "lt1",
    "dk1",
    "lt2",
    "dk2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hlink",
    "folHlink",
)
_DEFAULT_THEME = {  # Office 2007-2010 theme, as openpyxl writes it
    "dk1": "000000",
    "lt1": "FFFFFF",
    "dk2": "1F497D",
    "lt2": "EEECE1",
    "accent1": "4F81BD",
    "accent2": "C0504D",
    "accent3": "9BBB59",
    "accent4": "8064A2",
    "accent5": "4BACC6",
    "accent6": "F79646",
    "hlink": "0000FF",
    "folHlink": "800080",
}
_SLOT = re.compile(
    rb"<a:(dk1|lt1|dk2|lt2|accent[1-6]|hlink|folHlink)>\s*<a:(?:srgbClr\s+val|sysClr\s+val=\"[^\"]*\"\s+lastClr)=\"([0-9A-Fa-f]{6})\"",
)


def theme_colours(theme_xml: bytes | str | None) -> list[str]:
    """The workbook's theme colours as hex, in Excel's index order."""
    found = dict(_DEFAULT_THEME)
    if theme_xml:
        raw = theme_xml.encode("utf-8") if isinstance(theme_xml, str) else theme_xml
        # only the colour scheme matters; it comes first in the theme part
        for slot, val in _SLOT.findall(raw[:20000]):
            found[slot.decode()] = val.decode().upper()
    return [found[k] for k in _EXCEL_THEME_ORDER]


def _hex(value: str) -> RGB | None:
    v = value.strip().lstrip("#")
    if len(v) == 8:
        v = v[2:]
    if len(v) != 6:
        return None
    try:
        return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)
    except ValueError:
        return None


def apply_tint(rgb: RGB, tint: float) -> RGB:
    """Excel's tint: lighten towards white (tint > 0) or darken towards black (< 0) in HLS."""
    if not tint:
        return rgb
    h, lum, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    lum = min(max(lum, 0.0), 1.0)
    return tuple(round(c * 255) for c in colorsys.hls_to_rgb(h, lum, s))  # type: ignore[return-value]


def colour_rgb(colour, theme: list[str], palette=None) -> RGB | None:
    """RGB of an openpyxl ``Color`` (rgb, theme+tint or indexed); None when unset."""
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    tint = float(getattr(colour, "tint", 0) or 0)
    if kind == "rgb":
        val = colour.rgb
        if not isinstance(val, str):
            return None
        if len(val) == 8 and val[:2] == "00" and val[2:] == "000000":
            return None  # openpyxl's "no colour" default
        rgb = _hex(val)
    elif kind == "theme":
        idx = colour.theme
        if not isinstance(idx, int) or not 0 <= idx < len(theme):
            return None
        rgb = _hex(theme[idx])
    elif kind == "indexed":
        idx = colour.indexed
        table = palette or COLOR_INDEX  # a workbook may carry its own legacy palette
        if not isinstance(idx, int) or not 0 <= idx < len(table) or idx in (0, 8):
            return None  # 64/65 are "system" colours: not a fill anyone chose
        rgb = _hex(table[idx])
    else:
        return None
    if rgb is None:
        return None
    return apply_tint(rgb, tint)


def fill_rgb(fill, theme: list[str], palette=None) -> RGB | None:
    """The colour a reader sees for a cell fill, or None for no fill."""
    if fill is None:
        return None
    tag = getattr(fill, "tagname", "")
    if tag == "gradientFill":
        stops = getattr(fill, "stop", None) or []
        return colour_rgb(stops[0].color, theme, palette) if stops else None
    pattern = getattr(fill, "patternType", None) or getattr(fill, "fill_type", None)
    if not pattern or pattern == "none":
        return None
    rgb = colour_rgb(fill.fgColor, theme, palette)
    if rgb is None and pattern != "solid":
        rgb = colour_rgb(fill.bgColor, theme, palette)
    return rgb


def grade_for_fill(fill, theme: list[str], five: bool = False) -> str | None:
    rgb = fill_rgb(fill, theme)
    return grade_for_colour(rgb, five) if rgb else None
