"""Keyed pseudonyms and identifier redaction; the importer's layer rule."""

from __future__ import annotations

import ast
from pathlib import Path

from dashboard import pseudonym
from dashboard.importer.redact import Redactor


def test_same_reference_same_pseudonym_different_key_different_pseudonym(monkeypatch):
    monkeypatch.setenv("ARMS_PSEUDONYM_KEY", "key-one")
    a = pseudonym.pseudonymise("19/0456123K")
    assert a == pseudonym.pseudonymise(" 19/456123k ") == pseudonym.pseudonymise("19 / 0456123 K")
    assert pseudonym.is_pseudonym(a) and a.startswith("C-") and len(a) == 12
    assert pseudonym.pseudonymise("19/0456124K") != a
    monkeypatch.setenv("ARMS_PSEUDONYM_KEY", "key-two")
    assert pseudonym.pseudonymise("19/0456123K") != a


def test_an_existing_pseudonym_is_kept_and_empty_is_none():
    assert pseudonym.pseudonymise("C-ABCDEFGHIJ") == "C-ABCDEFGHIJ"
    assert pseudonym.pseudonymise("   ") is None and pseudonym.pseudonymise(None) is None


def test_key_file_is_created_once_and_reused(monkeypatch, tmp_path):
    monkeypatch.delenv("ARMS_PSEUDONYM_KEY", raising=False)
    key_file = tmp_path / "secrets" / "pseudonym.key"
    monkeypatch.setenv("ARMS_KEY_FILE", str(key_file))
    first = pseudonym.pseudonymise("LOC-1234")
    assert key_file.is_file() and len(key_file.read_bytes().strip()) == 64
    assert (key_file.stat().st_mode & 0o777) == 0o600
    assert pseudonym.pseudonymise("LOC-1234") == first


def test_redactor_finds_own_reference_variants_pnc_and_visor_shapes():
    r = Redactor(["19/0456123K", "LOC-2231"])
    text, n = r.redact(
        "Ref 19/456123K (also 19 0456123 k); PNC 21/12345Z; ViSOR ref 12345678; loc 2231."
    )
    assert n == 5 and "19" not in text.replace("[redacted]", "") and "2231" not in text
    kept, n = r.redact("Seen 3 times in 2024/25 Q2, score 3/4, dated 14/05/2024.")
    assert n == 0 and kept == "Seen 3 times in 2024/25 Q2, score 3/4, dated 14/05/2024."


def test_the_importer_never_imports_streamlit():
    root = Path(__file__).resolve().parents[2]
    files = list((root / "dashboard" / "importer").glob("*.py")) + [
        root / "dashboard" / "pseudonym.py"
    ]
    for f in files:
        for node in ast.walk(ast.parse(f.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "streamlit" for n in names), f
