"""Keyed pseudonyms for case references (HMAC-SHA256), so the raw reference is never stored.

The key comes from ``ARMS_PSEUDONYM_KEY``, else the file named by ``ARMS_KEY_FILE``
(default ``data/secrets/pseudonym.key``), created on first use. The same reference with the
same key always gives the same pseudonym, so a case sent again links up; without the key
nobody can go from a pseudonym back to the reference (or test guesses against it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from dashboard.vocab import DATA_DIR

PREFIX = "C-"
_PSEUDONYM = re.compile(r"^C-[A-Z2-7]{10}$")
DEFAULT_KEY_FILE = DATA_DIR / "secrets" / "pseudonym.key"


def key_file() -> Path:
    env = os.environ.get("ARMS_KEY_FILE")
    return Path(env) if env else DEFAULT_KEY_FILE


def load_key() -> bytes:
    """The pseudonym key: from the environment, else the key file (created if missing)."""
    env = os.environ.get("ARMS_PSEUDONYM_KEY")
    if env:
        return env.encode("utf-8")
    path = key_file()
    if path.is_file():
        data = path.read_bytes().strip()
        if data:
            return data
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    # write-then-rename so two processes starting together never see half a key
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    try:
        os.link(tmp, path)  # fails if another process won the race: use theirs
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_bytes().strip()


def normalise_ref(ref: object) -> str:
    """``19/0456123K``, ``19 / 456123 k`` -> ``19456123K``: case, spaces, separators and
    leading zeros of number groups do not make a different case."""
    text = str(ref).upper()
    groups = re.findall(r"[A-Z]+|\d+", text)
    return "".join(g.lstrip("0") or "0" if g.isdigit() else g for g in groups)


def is_pseudonym(value: object) -> bool:
    return isinstance(value, str) and bool(_PSEUDONYM.match(value.strip()))


def pseudonymise(ref: object, key: bytes | None = None) -> str | None:
    """``C-`` + 10 base32 characters of HMAC-SHA256(key, normalised reference).

    None for an empty reference; an existing pseudonym (a tidy export coming back) is kept.
    """
    if ref is None:
        return None
    text = str(ref).strip()
    if not text:
        return None
    if is_pseudonym(text):
        return text
    norm = normalise_ref(text)
    if not norm:
        return None
    digest = hmac.new(key or load_key(), norm.encode("utf-8"), hashlib.sha256).digest()
    return PREFIX + base64.b32encode(digest).decode("ascii")[:10]
