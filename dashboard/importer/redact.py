"""Find identifiers in free text (feedback) and replace them with ``[redacted]``.

What is looked for: the case's own reference and its spellings (with or without separators
and leading zeros), any other case reference seen in the same workbook, PNC-ID-shaped
strings (``19/1234567A``: two-digit year, up to seven digits, a check letter) and
ViSOR-nominal-shaped strings (``NOM 12345678`` / ``ViSOR ref 12345678``).
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"
PNC_ID = re.compile(r"\b\d{2}\s?/\s?\d{1,7}\s?[A-Za-z]\b")
VISOR_REF = re.compile(
    r"\b(?:visor|nom(?:inal)?)\s*(?:ref(?:erence)?|no\.?|number|id)?\s*[:#]?\s*[A-Z]{0,3}\d{5,}\b",
    re.I,
)


def _ref_pattern(ref: str) -> re.Pattern | None:
    """A pattern for one reference that tolerates separators and leading zeros."""
    groups = re.findall(r"[A-Za-z]+|\d+", ref)
    if not groups or sum(len(g) for g in groups) < 4:
        return None  # too short to find safely inside ordinary text
    parts = []
    for g in groups:
        if g.isdigit():
            parts.append(r"0*" + re.escape(g.lstrip("0") or "0"))
        else:
            parts.append(re.escape(g))
    body = r"[\s/\-.]*".join(parts)
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.I)


def _ref_key(ref: str) -> str | None:
    """The part of a reference that must appear in a text for it to be there at all:
    its longest number (without leading zeros), else its longest word."""
    nums = [n.lstrip("0") or "0" for n in re.findall(r"\d+", ref)]
    if nums:
        return max(nums, key=len)
    words = re.findall(r"[a-z]+", ref.lower())
    return max(words, key=len) if words else None


_SHAPES = re.compile(f"(?:{PNC_ID.pattern})|(?i:{VISOR_REF.pattern})")


class Redactor:
    """Redacts identifiers from text; ``refs`` are raw case references known in the workbook."""

    def __init__(self, refs: list[str] | None = None):
        self._refs: dict[str, tuple[str, str]] = {}  # pattern -> (key, pattern)
        self._compiled: dict[tuple[str, ...], re.Pattern] = {}
        for r in refs or []:
            self.add_ref(r)

    def add_ref(self, ref: object) -> None:
        if ref is None:
            return
        text = str(ref).strip()
        p = _ref_pattern(text)
        key = _ref_key(text)
        if p is not None and key is not None:
            self._refs.setdefault(p.pattern, (key, p.pattern))

    def _pattern(self, bodies: tuple[str, ...]) -> re.Pattern:
        if not bodies:
            return _SHAPES
        pat = self._compiled.get(bodies)
        if pat is None:
            alts = [*bodies, PNC_ID.pattern, f"(?i:{VISOR_REF.pattern})"]
            pat = self._compiled[bodies] = re.compile("|".join(f"(?:{a})" for a in alts), re.I)
        return pat

    def redact(self, text: str | None) -> tuple[str | None, int]:
        """(text with identifiers replaced, how many were replaced)."""
        if not text or not any(ch.isdigit() for ch in text):
            return text, 0  # every identifier shape has a digit in it
        # only the references whose longest number (or word) is in the text can be there
        present = {n.lstrip("0") or "0" for n in re.findall(r"\d+", text)}
        present.update(re.findall(r"[a-z]+", text.lower()))
        bodies = tuple(body for key, body in self._refs.values() if key in present)
        return self._pattern(bodies).subn(REDACTED, text)
