"""The one list of pages: ``app.py`` builds ``st.navigation`` from it, tests and the
screenshot script walk it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES_DIR = ROOT / "pages"


@dataclass(frozen=True)
class PageSpec:
    file: str  # under pages/
    title: str
    icon: str
    section: str  # navigation group
    url_path: str
    needs_data: bool = True  # shows the empty-database state when there is nothing to show

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.file


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "1_Regional_overview.py", "Regional overview", ":material/dashboard:", "Meeting", "overview"
    ),
    PageSpec(
        "2_Heatmap_explorer.py", "Heatmap explorer", ":material/grid_on:", "Explore", "heatmap"
    ),
    PageSpec(
        "3_Trends_and_repeat_failures.py",
        "Trends and repeat failures",
        ":material/trending_up:",
        "Explore",
        "trends",
    ),
    PageSpec(
        "4_Feedback_explorer.py", "Feedback explorer", ":material/search:", "Explore", "feedback"
    ),
    PageSpec("7_Force_profile.py", "Force profile", ":material/shield:", "Explore", "force"),
    PageSpec("5_Training_needs.py", "Training needs", ":material/school:", "Plan", "training"),
    PageSpec(
        "6_Good_practice.py", "Good practice library", ":material/star:", "Plan", "good-practice"
    ),
    PageSpec(
        "8_Upload_and_data.py",
        "Upload and data",
        ":material/upload_file:",
        "Data",
        "upload",
        needs_data=False,
    ),
    PageSpec(
        "9_Review_programme.py",
        "Review programme",
        ":material/event_repeat:",
        "Data",
        "programme",
    ),
    PageSpec(
        "10_Settings.py", "Settings", ":material/settings:", "Data", "settings", needs_data=False
    ),
)

SECTIONS: tuple[str, ...] = ("Meeting", "Explore", "Plan", "Data")


def page(file: str) -> PageSpec:
    return next(p for p in PAGES if p.file == file)
