"""Question text in a workbook -> a question of the set, with a confidence (0..1).

Forces renumber questions, retype them, change a word or cut them short. So the number is
only a tie-breaker: text decides. Confidence is 1.0 for the same words after normalising
(case, punctuation, numbering, spacing), high for a truncated prefix, and a blend of
sequence and word overlap otherwise.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from dashboard.questions import Question

_NUMBERING = re.compile(
    r"^\s*(?:q(?:uestion)?\.?\s*)?(?:\(?[0-9]+(?:[.\-][0-9]+)*[a-z]?\)?[.):\-]?|\(?[a-z]\)|[ivx]+\))\s+",
    re.I,
)
_NUMBER = re.compile(r"^\s*(?:q(?:uestion)?\.?\s*)?([0-9]+(?:[.\-][0-9]+)*[a-z]?)\b", re.I)


def normalise(text: object) -> str:
    t = str(text or "").replace("\u2019", "'").replace("\u2018", "'")
    for _ in range(2):  # "Q1.1) 3." style double numbering
        t = _NUMBERING.sub("", t, count=1)
    t = t.lower().replace("&", " and ").replace("'s", "s")
    t = re.sub(r"[^a-z0-9]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def leading_number(text: object) -> str | None:
    """``1.1``, ``Q3.2``, ``6-4`` at the start of a label, normalised to ``1.1``."""
    m = _NUMBER.match(str(text or ""))
    return m.group(1).replace("-", ".").lower() if m else None


@dataclass(frozen=True)
class Match:
    question_id: str
    confidence: float


class QuestionMatcher:
    """Matches workbook text against one question set; results are cached per text."""

    def __init__(self, questions: list[Question]):
        self.questions = list(questions)
        self.by_id = {q.question_id: q for q in self.questions}
        self._norm = [(q, normalise(q.text)) for q in self.questions]
        self._exact: dict[str, Question] = {}
        for q, n in self._norm:
            self._exact.setdefault(n, q)
        self._tokens = [(q, n, _content(n)) for q, n in self._norm]
        self._cache: dict[tuple[str, str | None], Match | None] = {}

    def match(self, text: object, number: object = None) -> Match | None:
        """The best question for ``text`` (``number`` breaks ties), or None if nothing is close."""
        num = None
        if number is not None and str(number).strip():
            num = leading_number(number) or str(number).strip().lower()
        if num is None:
            num = leading_number(text)
        key = (str(text or ""), num)
        if key in self._cache:
            return self._cache[key]
        result = self._match(normalise(text), num)
        self._cache[key] = result
        return result

    def _match(self, seen: str, num: str | None) -> Match | None:
        if len(seen) < 3:
            return None
        q = self._exact.get(seen)
        if q is not None:
            return Match(q.question_id, 1.0)
        seen_tokens = _content(seen)
        if not seen_tokens:
            return None
        # cheap word overlap picks the candidates; the costly sequence ratio runs on few
        overlap = []
        for q, norm, tokens in self._tokens:
            union = seen_tokens | tokens
            jacc = len(seen_tokens & tokens) / len(union) if union else 0.0
            prefix = len(seen) >= 15 and norm.startswith(seen)
            if prefix or jacc >= 0.2:
                overlap.append((prefix, jacc, q, norm, tokens))
        if not overlap:
            return None
        overlap.sort(key=lambda o: (o[0], o[1]), reverse=True)
        scored: list[tuple[float, int, Question]] = []
        for _prefix, _jacc, q, norm, tokens in overlap[:4]:
            score = _similarity(seen, seen_tokens, norm, tokens)
            tie = 1 if num is not None and q.question_id.lower() == num else 0
            scored.append((score, tie, q))
        scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
        best_score, _, best = scored[0]
        # a near tie between two questions: the number decides, at a small cost in confidence
        close = [s for s in scored if best_score - s[0] < 0.02]
        if len(close) > 1:
            numbered = [s for s in close if s[1]]
            if numbered:
                best_score, _, best = numbered[0]
            best_score -= 0.05
        if best_score <= 0:
            return None
        return Match(best.question_id, round(min(best_score, 0.99), 3))


_STOP = frozenset(
    "a an the is are was were be been has have had of to in on for and or with by at from "
    "that this there their it its as any all been being does do did".split()
)


def _content(norm: str) -> set[str]:
    """Content words of a normalised text (stop words carry no meaning for matching)."""
    return {w for w in norm.split() if w not in _STOP}


def _similarity(seen: str, seen_tokens: set[str], norm: str, tokens: set[str]) -> float:
    # truncated text: the start of the question, long enough to mean something
    if len(seen) >= 15 and norm.startswith(seen):
        return 0.85 + 0.14 * (len(seen) / len(norm))
    seq = difflib.SequenceMatcher(None, seen, norm, autojunk=False).ratio()
    union = seen_tokens | tokens
    jacc = len(seen_tokens & tokens) / len(union) if union else 0.0
    return max(seq, 0.6 * seq + 0.4 * jacc)
