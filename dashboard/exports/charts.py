"""Charts as PNG for meeting material, through kaleido 1.x and Debian's Chromium.

Kaleido 1.x drives a headless Chrome/Chromium; ``BROWSER_PATH`` tells it which one. We
point it at ``/usr/bin/chromium`` when that exists and nothing else was configured
(Playwright's own browser download is not used here).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DEFAULT_BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def browser_path() -> str | None:
    """The browser kaleido will use: ``BROWSER_PATH`` if set, else the first one installed."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env
    for p in DEFAULT_BROWSERS:
        if Path(p).exists():
            return p
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found


def figure_png(fig, width: int = 1600, height: int = 900, scale: float = 1.0) -> bytes:
    """The Plotly figure as PNG bytes (default 1600x900, a projector-sized slide)."""
    path = browser_path()
    if path and not os.environ.get("BROWSER_PATH"):
        os.environ["BROWSER_PATH"] = path
    for attempt in (1, 2):
        try:
            data = fig.to_image(format="png", width=width, height=height, scale=scale)
            break
        except Exception as exc:  # noqa: BLE001 - kaleido raises many types; say what to do
            # on a busy machine kaleido's page is sometimes not ready ("kaleido_scopes is
            # not defined"): a second try with a fresh browser normally succeeds
            if attempt == 2:
                raise RuntimeError(
                    f"could not draw the chart as PNG ({exc.__class__.__name__}: {exc}); "
                    "is Chromium installed (BROWSER_PATH)?"
                ) from exc
    if not data.startswith(PNG_MAGIC):
        raise RuntimeError("the chart renderer did not return a PNG")
    return data
