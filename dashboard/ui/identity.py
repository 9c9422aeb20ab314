"""Who is using the app: the name written into the import history and the audit log.

In order: the ``ARMS_USER`` environment variable (a service account, a test); the signed-in
user when Streamlit's OIDC login (``st.login``) is configured; else the operating-system
user running the server. ``who_source()`` says which, so the page can show it.
"""

from __future__ import annotations

import getpass
import os

import streamlit as st


def _signed_in_user() -> str | None:
    try:
        user = st.user
        if not user.get("is_logged_in"):
            return None
        for key in ("email", "preferred_username", "name", "sub"):
            value = user.get(key)
            if value:
                return str(value)
    except Exception:  # noqa: BLE001 - no auth configured, or not in a script run
        return None
    return None


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return "unknown"


def who_and_source() -> tuple[str, str]:
    """(name, where it came from): 'ARMS_USER', 'sign-in' or 'operating-system user'."""
    env = os.environ.get("ARMS_USER", "").strip()
    if env:
        return env, "ARMS_USER"
    signed_in = _signed_in_user()
    if signed_in:
        return signed_in, "sign-in"
    return _os_user(), "operating-system user"


def who() -> str:
    return who_and_source()[0]
