"""The Streamlit entry point: ``streamlit run dashboard/app.py``.

Builds the navigation from the one page list in ``dashboard/ui/pages.py``; adds what every
page shares (demo label, presentation mode, the empty-database state).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts dashboard/ on sys.path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.ui import chrome  # noqa: E402
from dashboard.ui.pages import PAGES, SECTIONS  # noqa: E402

st.set_page_config(
    page_title="ARMS peer review dashboard",
    page_icon=":material/fact_check:",
    layout="wide",
    initial_sidebar_state="expanded",
)

nav = {
    section: [
        st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=(i == 0))
        for i, p in enumerate(PAGES)
        if p.section == section
    ]
    for section in SECTIONS
}
chrome.NAV_PAGES.update({pg.url_path: pg for pages in nav.values() for pg in pages})
current = st.navigation(nav, position="hidden" if chrome.presenting() else "sidebar")

chrome.presentation_toggle()
chrome.apply_presentation()
chrome.demo_label()
# widgets on a page are new when the page changes: filters restore them from session state
st.session_state["_page_changed"] = st.session_state.get("_last_page") != current.title
st.session_state["_last_page"] = current.title
spec = next((p for p in PAGES if p.title == current.title), None)
if spec is not None and spec.needs_data:
    chrome.require_data()
current.run()
