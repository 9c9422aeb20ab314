"""Documentation that cannot drift: every setting and every command is in the README."""

from pathlib import Path

from dashboard.cli import build_parser
from dashboard.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_every_setting_is_documented():
    missing = [name for name in Settings.help() if f"`{name}`" not in README]
    assert not missing


def test_every_command_is_documented():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"`{name}" not in README]
    assert not missing


def test_quick_start_has_the_two_commands():
    assert "make run" in README and "make test" in README


def test_every_page_is_documented_and_every_page_file_is_listed():
    from dashboard.ui.pages import PAGES, PAGES_DIR

    missing = [p.title for p in PAGES if p.title not in README]
    assert not missing
    listed = {p.file for p in PAGES}
    unlisted = [f.name for f in PAGES_DIR.glob("*.py") if f.name not in listed]
    assert not unlisted  # st.navigation does not auto-discover pages/: a file off the list is dead
