"""Who is written into the import history and audit log."""

from __future__ import annotations

import getpass

from dashboard.ui import identity


def test_arms_user_wins(monkeypatch):
    monkeypatch.setenv("ARMS_USER", "  coordinator@cheshire  ")
    assert identity.who_and_source() == ("coordinator@cheshire", "ARMS_USER")


def test_without_sign_in_the_os_user_is_used(monkeypatch):
    monkeypatch.delenv("ARMS_USER", raising=False)
    assert identity.who_and_source() == (getpass.getuser(), "operating-system user")


def test_a_signed_in_user_comes_before_the_os_user(monkeypatch):
    monkeypatch.delenv("ARMS_USER", raising=False)
    monkeypatch.setattr(identity, "_signed_in_user", lambda: "jo@police.uk")
    assert identity.who_and_source() == ("jo@police.uk", "sign-in")
