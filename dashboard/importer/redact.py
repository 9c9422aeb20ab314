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


class Redactor:
    """Redacts identifiers from text; ``refs`` are raw case references known in the workbook."""

    def __init__(self, refs: list[str] | None = None):
        self._patterns: list[re.Pattern] = []
        for r in refs or []:
            self.add_ref(r)

    def add_ref(self, ref: object) -> None:
        if ref is None:
            return
        p = _ref_pattern(str(ref).strip())
        if p is not None and p.pattern not in {x.pattern for x in self._patterns}:
            self._patterns.append(p)

    def redact(self, text: str | None) -> tuple[str | None, int]:
        """(text with identifiers replaced, how many were replaced)."""
        if not text:
            return text, 0
        count = 0
        out = text
        for p in [*self._patterns, PNC_ID, VISOR_REF]:
            out, n = p.subn(REDACTED, out)
            count += n
        return out, count
