import os
import struct

import plotly.graph_objects as go
import pytest

from dashboard.exports.charts import PNG_MAGIC, browser_path, figure_png


def test_figure_png_is_a_png_of_the_asked_size():
    if browser_path() is None and not os.environ.get("CI"):
        pytest.skip("no Chromium here to render with")
    fig = go.Figure(go.Bar(x=["Cheshire", "Cumbria"], y=[3.1, 2.4], text=["n=24", "n=24"]))
    data = figure_png(fig, width=800, height=450)
    assert data.startswith(PNG_MAGIC)
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (800, 450)
