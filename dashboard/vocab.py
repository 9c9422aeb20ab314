"""The domain vocabulary, in one place.

Grades (order, score, HMICFRS colour, the words people type), risk levels, forces
and their aliases (from ``data/forces.csv`` so another region can use its own), and
quarter labels in UK financial years (``2024/25 Q2``).

Nothing else in the project spells a grade word, a grade colour or a quarter label.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# --------------------------------------------------------------------------- grades


@dataclass(frozen=True)
class Grade:
    name: str  # canonical word, as exported
    score: float  # 4 best .. 1 worst
    colour: str  # HMICFRS fill colour (hex)
    text_colour: str  # readable text on that fill
    short: str  # cell label on a crowded heatmap
    failing: bool  # counts as a failure (contract.md)


OUTSTANDING = Grade("Outstanding", 4, "#FFE600", "#1A1A1A", "O", False)
GOOD = Grade("Good", 3, "#2E9E44", "#FFFFFF", "G", False)
ADEQUATE = Grade("Adequate", 2.5, "#B5D334", "#1A1A1A", "A", False)
REQUIRES_IMPROVEMENT = Grade("Requires improvement", 2, "#F59B00", "#1A1A1A", "RI", True)
INADEQUATE = Grade("Inadequate", 1, "#D62718", "#FFFFFF", "I", True)

NA = "N/A"  # marked not applicable: not graded, not a failure
NA_COLOUR = "#BDBDBD"
NO_DATA_COLOUR = "#F2F2F2"

GRADES_FOUR: tuple[Grade, ...] = (OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE)
GRADES_FIVE: tuple[Grade, ...] = (OUTSTANDING, GOOD, ADEQUATE, REQUIRES_IMPROVEMENT, INADEQUATE)
ALL_GRADES: dict[str, Grade] = {g.name: g for g in GRADES_FIVE}
FAILING_GRADES: tuple[str, ...] = tuple(g.name for g in GRADES_FIVE if g.failing)
GOOD_OR_BETTER: tuple[str, ...] = (OUTSTANDING.name, GOOD.name)


def grade_scale(five: bool = False) -> tuple[Grade, ...]:
    """The grades in use, best first: four by default, five with *Adequate*."""
    return GRADES_FIVE if five else GRADES_FOUR


def grade_by_name(name: str) -> Grade:
    return ALL_GRADES[name]


def grade_score(name: str | None) -> float | None:
    """Score of a canonical grade word; None for N/A and ungraded."""
    g = ALL_GRADES.get(name or "")
    return g.score if g else None


def grade_for_score(score: float, five: bool = False) -> Grade:
    """The grade whose score is nearest to ``score`` (for colouring averages).

    Exactly half-way goes to the lower grade: an average of 2.5 (two Good, two Requires
    improvement) shows amber, so a split is never coloured as a pass in the meeting.
    """
    return min(grade_scale(five), key=lambda g: (abs(g.score - score), g.score))


# The words people type. Keys are normalised (see _norm_grade_text).
_GRADE_ALIASES: dict[str, str] = {}
for _name, _words in {
    OUTSTANDING.name: ["o", "outstanding", "outstand", "out", "4", "excellent", "yellow"],
    GOOD.name: ["g", "good", "3", "gd", "green"],
    ADEQUATE.name: ["a", "adequate", "adeq", "ad"],
    REQUIRES_IMPROVEMENT.name: [
        "ri",
        "r i",
        "req imp",
        "requires improvement",
        "require improvement",
        "requires improvements",
        "reqs imp",
        "req improvement",
        "requires imp",
        "needs improvement",
        "improvement required",
        "2",
        "amber",
        "r/i",
    ],
    INADEQUATE.name: ["i", "inadequate", "inad", "inadeq", "1", "red", "poor"],
    NA: ["n a", "na", "not applicable", "n/a", "not app", "none applicable", "nil", "not relevant"],
}.items():
    for _w in _words:
        _GRADE_ALIASES[_w] = _name

_FUZZY_TARGETS = {
    "outstanding": OUTSTANDING.name,
    "good": GOOD.name,
    "adequate": ADEQUATE.name,
    "requires improvement": REQUIRES_IMPROVEMENT.name,
    "inadequate": INADEQUATE.name,
    "not applicable": NA,
}


def _norm_grade_text(text: str) -> str:
    t = str(text).strip().lower()
    t = re.sub(r"[^a-z0-9/]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def parse_grade(value: object, five: bool = False) -> str | None:
    """Canonical grade word (or ``N/A``) for what a person typed; None if not a grade.

    Accepts abbreviations (``O``, ``RI``, ``R/I``, ``Req. Imp.``), case and spacing noise,
    numeric scores 4..1, a colour word in brackets (``Good (green)``) and small typos.
    *Adequate* is only recognised on the five-grade scale.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if value != value:  # NaN
            return None
        if float(value).is_integer() and 1 <= int(value) <= 4:
            return _GRADE_ALIASES[str(int(value))]
        return None
    raw = str(value)
    if not raw.strip():
        return None
    candidates = [raw, re.sub(r"\(.*?\)|\[.*?\]", " ", raw)]
    for cand in candidates:
        t = _norm_grade_text(cand)
        if not t:
            continue
        for form in (t, t.replace("/", " "), t.replace("/", "").replace(" ", "")):
            form = re.sub(r"\s+", " ", form).strip()
            hit = _GRADE_ALIASES.get(form)
            if hit is not None:
                return _accept(hit, five)
        # "Good - green", "Good: see feedback": the leading words decide
        words = t.replace("/", " ").split()
        if len(words) <= 4:
            for n in (3, 2, 1):
                head = " ".join(words[:n])
                hit = _GRADE_ALIASES.get(head)
                if hit is not None and (len(head) > 1 or len(words) == 1):
                    return _accept(hit, five)
        t2 = " ".join(words)
        # small typos of the full words
        if len(t2) >= 4:
            match = difflib.get_close_matches(t2, list(_FUZZY_TARGETS), n=1, cutoff=0.8)
            if match:
                return _accept(_FUZZY_TARGETS[match[0]], five)
    return None


def _accept(name: str, five: bool) -> str | None:
    if name == ADEQUATE.name and not five:
        return None
    return name


# ----------------------------------------------------------------------- colours


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    if len(c) == 8:  # ARGB as openpyxl writes it
        c = c[2:]
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def grade_for_colour(rgb: tuple[int, int, int], five: bool = False) -> str | None:
    """Classify a fill colour by hue: yellow/green/amber/red, pale shades included.

    Returns None for white, greys, blues and other colours that are not a grade.
    """
    import colorsys

    r, g, b = (x / 255 for x in rgb)
    h, light, sat = colorsys.rgb_to_hls(r, g, b)
    if sat < 0.25 or light > 0.97 or light < 0.08:
        return None
    hue = h * 360
    if hue >= 340 or hue < 22:
        return INADEQUATE.name
    if hue < 52:  # Excel's "Orange" FFC000 and the pale "Neutral" style are amber
        return REQUIRES_IMPROVEMENT.name
    if hue < 68:
        return OUTSTANDING.name
    if hue < 85 and five:
        return ADEQUATE.name
    if hue < 170:
        return GOOD.name
    return None


# -------------------------------------------------------------------- risk levels

RISK_LEVELS: tuple[str, ...] = ("Low", "Medium", "High", "Very high")

_RISK_ALIASES = {
    "low": "Low",
    "l": "Low",
    "lo": "Low",
    "medium": "Medium",
    "med": "Medium",
    "m": "Medium",
    "moderate": "Medium",
    "high": "High",
    "h": "High",
    "hi": "High",
    "very high": "Very high",
    "vhigh": "Very high",
    "v high": "Very high",
    "vh": "Very high",
    "very hi": "Very high",
    "v hi": "Very high",
    "veryhigh": "Very high",
}


def parse_risk_level(value: object) -> str | None:
    """Canonical risk level for ``Low``, ``med``, ``V. High``, ``Very High risk`` ...; else None."""
    if value is None:
        return None
    t = re.sub(r"[^a-z]+", " ", str(value).lower()).strip()
    t = re.sub(r"\b(risk|level|rso|case|arms)\b", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    if not t:
        return None
    if t in _RISK_ALIASES:
        return _RISK_ALIASES[t]
    compact = t.replace(" ", "")
    return _RISK_ALIASES.get(compact)


# ------------------------------------------------------------------------- forces


@dataclass(frozen=True)
class Force:
    name: str  # canonical short name (exports)
    full_name: str
    aliases: tuple[str, ...]


def _norm_force(text: str) -> str:
    t = str(text).lower().replace("&", " and ")
    t = re.sub(r"[^a-z0-9]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


_FORCE_NOISE = {
    "police",
    "constabulary",
    "force",
    "service",
    "sheet",
    "tab",
    "copy",
    "final",
    "review",
    "reviews",
    "arms",
    "peer",
    "the",
    "of",
    "v2",
    "v3",
    "draft",
    "fy",
}
_QUARTER_TOKEN = re.compile(r"^(q[1-4]|\d{2,4}|fy\d+|\d{2,4}\s?\d{2})$")


class Forces:
    """The region's forces and the names people use for them."""

    def __init__(self, forces: list[Force]):
        self.forces = list(forces)
        self.names = tuple(f.name for f in self.forces)
        self._alias: dict[str, str] = {}
        for f in self.forces:
            for a in (f.name, f.full_name, *f.aliases):
                self._alias[_norm_force(a)] = f.name

    @classmethod
    def from_csv(cls, path: Path | str) -> Forces:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        return cls.from_rows(rows)

    @classmethod
    def from_rows(cls, rows: list[dict]) -> Forces:
        out = []
        for r in rows:
            aliases = tuple(a.strip() for a in str(r.get("aliases") or "").split("|") if a.strip())
            out.append(
                Force(r["force"].strip(), (r.get("full_name") or r["force"]).strip(), aliases)
            )
        return cls(out)

    def to_rows(self) -> list[dict]:
        return [
            {"force": f.name, "full_name": f.full_name, "aliases": "|".join(f.aliases)}
            for f in self.forces
        ]

    def full_name(self, name: str) -> str:
        for f in self.forces:
            if f.name == name:
                return f.full_name
        return name

    def match(self, text: object) -> str | None:
        """Canonical force for a sheet name or cell text with noise, or None.

        ``GMP``, ``Greater Manchester Police``, ``Lancs``, ``N Wales``, ``Cumbria `` and
        ``Merseyside Q2`` all resolve; ``Summary`` and ``Key`` do not.
        """
        if text is None:
            return None
        t = _norm_force(str(text))
        if not t:
            return None
        if t in self._alias:
            return self._alias[t]
        tokens = [w for w in t.split() if w not in _FORCE_NOISE and not _QUARTER_TOKEN.match(w)]
        core = " ".join(tokens)
        if core in self._alias:
            return self._alias[core]
        # an alias standing whole inside a longer name ("Review of Lancs cases")
        best: tuple[int, str] | None = None
        padded = f" {core} "
        for alias, name in self._alias.items():
            if len(alias) >= 3 and f" {alias} " in padded:
                if best is None or len(alias) > best[0]:
                    best = (len(alias), name)
        return best[1] if best else None

    def find_in(self, text: object) -> str | None:
        """A force named anywhere inside a sentence (a title row); longest alias wins."""
        if text is None:
            return None
        padded = f" {_norm_force(str(text))} "
        best: tuple[int, str] | None = None
        for alias, name in self._alias.items():
            if len(alias) >= 3 and f" {alias} " in padded:
                if best is None or len(alias) > best[0]:
                    best = (len(alias), name)
        return best[1] if best else None


@lru_cache(maxsize=1)
def default_forces() -> Forces:
    return Forces.from_csv(DATA_DIR / "forces.csv")


# ------------------------------------------------------------------------ quarters

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}


@dataclass(frozen=True, order=True)
class Quarter:
    """A UK financial-year quarter: Q1 = April-June. ``Quarter(2024, 2)`` is 2024/25 Q2."""

    fy: int  # the calendar year the financial year starts in
    q: int  # 1..4

    def __post_init__(self) -> None:
        if not 1 <= self.q <= 4:
            raise ValueError(f"quarter must be 1-4, not {self.q}")
        if not 1990 <= self.fy <= 2100:
            raise ValueError(f"financial year {self.fy} is out of range")

    @property
    def label(self) -> str:
        return f"{self.fy}/{(self.fy + 1) % 100:02d} Q{self.q}"

    @property
    def index(self) -> int:
        """A running number: consecutive quarters differ by one."""
        return self.fy * 4 + (self.q - 1)

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        return cls(index // 4, index % 4 + 1)

    @property
    def start(self) -> dt.date:
        month = 4 + 3 * (self.q - 1)
        year = self.fy + (month - 1) // 12
        return dt.date(year, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter.from_index(self.index + 1)

    def prev(self) -> Quarter:
        return Quarter.from_index(self.index - 1)

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        fy = day.year if day.month >= 4 else day.year - 1
        return cls(fy, (day.month - 4) % 12 // 3 + 1)

    def __str__(self) -> str:
        return self.label


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


_Q_PATTERNS = [
    # 2024/25 Q2, 2024-25 Q2, 24/25 Q2, FY2024/25 Q2, 2024/2025 Q2
    re.compile(
        r"(?:fy\s*)?(?P<y1>\d{2}|\d{4})\s*[/\-\u2013]\s*(?P<y2>\d{2}|\d{4})\s*[,:\-]?\s*q(?:uarter)?\s*(?P<q>[1-4])\b"
    ),
    # Q2 2024/25, Quarter 2 2024-25
    re.compile(
        r"\bq(?:uarter)?\s*(?P<q>[1-4])\s*[,:\-]?\s*(?:of\s*)?(?:fy\s*)?(?P<y1>\d{2}|\d{4})\s*[/\-\u2013]\s*(?P<y2>\d{2}|\d{4})\b"
    ),
    # Q2 FY24, Q2 2024 (financial year starting 2024), FY24 Q2
    re.compile(
        r"\bq(?:uarter)?\s*(?P<q>[1-4])\s*[,:\-]?\s*(?:fy\s*)?(?P<y1>\d{4}|\d{2})\b(?!\s*[/\-])"
    ),
    re.compile(r"\b(?:fy\s*)(?P<y1>\d{4}|\d{2})\s*[,:\-]?\s*q(?:uarter)?\s*(?P<q>[1-4])\b"),
    re.compile(r"\b(?P<y1>\d{4})\s*[,:\-]?\s*q(?:uarter)?\s*(?P<q>[1-4])\b"),
]
_MONTH_RANGE = re.compile(
    r"\b(?P<m1>[a-z]{3,9})\.?\s*(?:\d{4}\s*)?(?:-|\u2013|to)\s*(?P<m2>[a-z]{3,9})\.?\s*(?P<y>\d{4})\b"
)


def parse_quarter(value: object) -> Quarter | None:
    """Quarter from the forms people write, or None.

    ``2024/25 Q2``, ``Q2 2024/25``, ``2024-25 Q2``, ``Q2 24/25``, ``FY24/25 Q2``,
    ``Jul-Sep 2024``, ``July to September 2024``; a bare ``Q2 2024`` is read as the
    financial year that starts in 2024 (the region's habit).
    """
    if value is None:
        return None
    if isinstance(value, Quarter):
        return value
    if isinstance(value, dt.datetime):
        return Quarter.containing(value.date())
    if isinstance(value, dt.date):
        return Quarter.containing(value)
    t = str(value).lower().strip()
    if not t:
        return None
    for pat in _Q_PATTERNS:
        m = pat.search(t)
        if not m:
            continue
        y1 = _year(m.group("y1"))
        if "y2" in pat.groupindex and m.group("y2"):
            y2 = _year(m.group("y2"))
            if y2 % 100 != (y1 + 1) % 100:
                continue
        try:
            return Quarter(y1, int(m.group("q")))
        except ValueError:
            continue
    m = _MONTH_RANGE.search(t)
    if m and m.group("m1") in _MONTHS and m.group("m2") in _MONTHS:
        m1 = _MONTHS[m.group("m1")]
        m2 = _MONTHS[m.group("m2")]
        year = int(m.group("y"))
        start_year = year - 1 if m2 < m1 else year
        start = dt.date(start_year, m1, 1)
        q = Quarter.containing(start)
        if q.start == start:
            return q
    return None


def quarter_label(index: int) -> str:
    return Quarter.from_index(index).label
