"""The pages in a real browser at the meeting screen's size: every page opens, a heatmap
cell click shows its feedback, a deep link reproduces the filters."""

from __future__ import annotations

import re

import pytest

from dashboard.ui.pages import PAGES
from tests.browser.conftest import wait_for_app

CELL_XY = """([name, index]) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
      .find(g => g._fullData && g._fullData.some(t => t.name === name));
  const tr = gd._fullData.find(t => t.name === name);
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const r = gd.getBoundingClientRect();
  return {x: r.left + xa._offset + xa.l2p(tr.x[index]), y: r.top + ya._offset + ya.l2p(tr.y[index]),
          key: tr.customdata[index], hover: tr.hovertext[index]};
}"""


def _url(app, spec, query: str = "") -> str:
    path = "" if spec is PAGES[0] else spec.url_path
    return f"{app.url}/{path}" + (f"?{query}" if query else "")


def _chips(page, expect: int = 1) -> list[str]:
    """The values chosen in the sidebar's multiselect filters, top to bottom."""
    tags = page.locator(
        "[data-testid='stSidebar'] .react-aria-ComboBox span[data-tag] > span[title]"
    )
    if expect:
        tags.nth(expect - 1).wait_for(timeout=15_000)
    return [t.get_attribute("title") for t in tags.all()]


READY = """() => {
  const status = document.querySelector('[data-testid="stStatusWidget"]');
  if (status && status.innerText.includes('Running')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  if (!document.querySelector('h1')) return false;
  return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(c => c.querySelector('.main-svg'));
}"""


def _settle(page, plot: bool = False) -> None:
    """Wait until the script has run and everything is drawn, and stays so for a moment."""
    wait_for_app(page)
    if plot:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    for _ in range(3):
        page.wait_for_function(READY, timeout=60_000)
        page.wait_for_timeout(800)
        if page.evaluate(READY):
            return


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_opens_at_1920x1080(demo_app, page, spec):
    page.goto(_url(demo_app, spec))
    _settle(page)
    assert page.locator("h1").first.inner_text().strip() == spec.title or spec.title.startswith(
        page.locator("h1").first.inner_text().strip().split()[0]
    )
    assert page.locator("[data-testid='stException']").count() == 0
    badge = page.locator("[data-testid='stSidebar']").get_by_text("DEMO DATA", exact=True)
    badge.wait_for(state="visible", timeout=10_000)


def test_click_a_heatmap_cell_and_read_its_feedback(demo_app, page):
    page.goto(_url(demo_app, PAGES[0]))
    _settle(page, plot=True)
    heat = page.locator(".js-plotly-plot").first
    heat.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    index = 0
    cell = page.evaluate(CELL_XY, ["cells", index])
    page.mouse.move(cell["x"], cell["y"])
    page.wait_for_timeout(300)
    page.mouse.click(cell["x"], cell["y"])
    # a dialog opens over the heatmap with every answer's feedback, as plain text
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=30_000)
    assert dialog.get_by_text("Answers behind the cell").is_visible()
    body = dialog.inner_text()
    n = int(re.search(r"n = (\d+) graded", cell["hover"]).group(1))
    shown = int(re.search(r"- (\d+) answers", body).group(1))
    assert shown >= n  # graded answers plus any N/A
    assert dialog.locator("[data-testid='stText']").count() == 2 + 2 * min(shown, 60)
    # closing it leaves the answers below the heatmap, with the table to download
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=15_000)
    panel = page.locator("[data-testid='stMain']").get_by_text("Answers behind the cell:")
    panel.scroll_into_view_if_needed()
    assert panel.is_visible()
    assert page.get_by_text("Feedback, in full:").is_visible()
    # the same cell again opens the dialog again
    heat.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    cell = page.evaluate(CELL_XY, ["cells", index])
    page.mouse.move(cell["x"], cell["y"])
    page.wait_for_timeout(300)
    page.mouse.click(cell["x"], cell["y"])
    page.get_by_role("dialog").wait_for(timeout=30_000)


def test_a_deep_link_reproduces_the_filters(demo_app, page):
    spec = next(p for p in PAGES if p.url_path == "heatmap")
    page.goto(_url(demo_app, spec, "force=Cumbria&risk=High&cols=quarter"))
    _settle(page, plot=True)
    assert _chips(page, 2) == ["Cumbria", "High"]
    ticks = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')][0]._fullLayout.xaxis.ticktext"
    )
    assert ticks and all(re.fullmatch(r"\d{4}/\d{2} Q[1-4]", t) for t in ticks)
    # the filters follow to another page, and stay in its URL
    page.get_by_role("link", name="Trends and repeat failures").click()
    _settle(page)
    assert "force=Cumbria" in page.url and "risk=High" in page.url
    assert _chips(page, 2) == ["Cumbria", "High"]


def test_presentation_mode_hides_the_sidebar(demo_app, page):
    page.goto(_url(demo_app, PAGES[0], "present=1"))
    _settle(page)
    page.locator("[data-testid='stSidebar']").wait_for(state="hidden", timeout=15_000)
    page.get_by_role("button", name="Exit presentation mode").wait_for(
        state="visible", timeout=15_000
    )
    page.get_by_role("button", name="Exit presentation mode").click()
    page.locator("[data-testid='stSidebar']").wait_for(state="visible", timeout=15_000)
    assert "present=1" not in page.url
