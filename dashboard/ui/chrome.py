"""What every page shares around its content: the demo label, presentation mode, the
empty-database state; ``who`` (for the audit log) comes from ``identity``."""

from __future__ import annotations

import streamlit as st

from dashboard import store
from dashboard.ui import data
from dashboard.ui.identity import who  # noqa: F401 - re-exported for pages

PRESENT_PARAM = "present"
NAV_PAGES: dict[str, object] = {}  # url_path -> st.Page, filled by app.py for links

# Static CSS only: no user text ever goes into this string.
_PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stMainMenu"], footer { display: none !important; }
html, body, [data-testid="stApp"] { font-size: 21px; }
[data-testid="stMainBlockContainer"] { padding-top: 1rem; max-width: 100%; }
[data-testid="stMetricValue"] { font-size: 3rem; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem; }
</style>
"""

_BADGE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
.arms-demo-badge { background: #1A1A1A; color: #FFE600; font-weight: 700; letter-spacing: .08em;
  padding: .35rem .7rem; border-radius: .3rem; display: inline-block; }
</style>
"""


def presenting() -> bool:
    """Presentation mode: ``?present=1`` or the sidebar toggle."""
    return st.session_state.get("present", st.query_params.get(PRESENT_PARAM) == "1")


def presentation_toggle() -> None:
    if "present" not in st.session_state:
        st.session_state["present"] = st.query_params.get(PRESENT_PARAM) == "1"
    st.sidebar.toggle(
        "Presentation mode",
        key="present",
        help="Hide the sidebar and menus and enlarge text for the projector. "
        "Add ?present=1 to a link to open in this mode.",
    )


def _exit_presentation() -> None:
    st.session_state["present"] = False
    st.query_params.pop(PRESENT_PARAM, None)


def apply_presentation() -> None:
    if presenting():
        st.query_params[PRESENT_PARAM] = "1"
        st.html(_PRESENT_CSS)
        st.button(
            "Exit presentation mode",
            key="exit_present",
            type="tertiary",
            on_click=_exit_presentation,
        )
    else:
        st.query_params.pop(PRESENT_PARAM, None)


def demo_label() -> bool:
    """Sidebar badge and a caption on the page when the data is the bundled demo."""
    demo = store.is_demo(data.connection())
    st.html(_BADGE_CSS)
    if demo:
        st.sidebar.html('<span class="arms-demo-badge">DEMO DATA</span>')
        st.caption(
            "DEMO DATA - generated, illustrative reviews (not real cases). "
            "Upload the region's workbooks on *Upload and data* to replace it."
        )
    return demo


def empty_state() -> None:
    """Explain how to load data, then stop the page."""
    st.info(
        "There are no reviews in the database yet.\n\n"
        "- Upload the quarter's regional workbook on **Upload and data**, or\n"
        "- from a terminal: `python -m dashboard ingest WORKBOOK.xlsx`, or\n"
        "- load the illustrative demo data: `python -m dashboard demo`."
    )
    upload = NAV_PAGES.get("upload")
    if upload is not None:
        st.page_link(upload, label="Go to Upload and data", icon=":material/upload_file:")
    st.stop()


def require_data() -> None:
    if not store.has_data(data.connection()):
        empty_state()
