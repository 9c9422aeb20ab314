"""``overview.meeting``: the meeting screen's tiles and repeat failures from one pass, the
same as ``headline`` and ``repeat_failures`` called apart."""

import pandas as pd
import pytest

from analysis.filters import Filters
from analysis.overview import headline, meeting
from analysis.repeat_failures import repeat_failures
from dashboard.settings import Settings
from tests.analysis.builder import RI, G, I, O, q


@pytest.fixture
def story(db):
    # Cheshire fails 1.1 in quarters 0, 1, 3 (2 has no data): one streak of three, current
    for i in (0, 1, 3):
        db.same(i, "Cheshire", "1.1", [RI, I])
    # Cumbria failed 2.1 in quarters 0 and 1, then passed in 2: an ended streak
    db.same(0, "Cumbria", "2.1", [I], risk_level="High")
    db.same(1, "Cumbria", "2.1", [RI], risk_level="High")
    db.same(2, "Cumbria", "2.1", [O, G], risk_level="High")
    db.same(4, "Lancashire", "1.1", [G])  # the latest quarter with data in the region
    return db


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(quarter_to=q(3).index),
        Filters(quarter_to=q(9).index),  # beyond the data: the latest quarter with data counts
        Filters(quarter_from=q(1).index, quarter_to=q(1).index),
        Filters(quarter_from=q(5).index),  # nothing in range
        Filters(forces=("Cumbria",)),
        Filters(risk_levels=("High",), quarter_to=q(1).index),
        Filters(forces=("Merseyside",)),  # no data at all
    ],
)
@pytest.mark.parametrize("settings", [Settings(), Settings(min_streak=3)])
def test_meeting_is_headline_and_repeat_failures(story, filters, settings):
    got = meeting(story.cur(), filters, settings)
    assert got["headline"] == headline(story.cur(), filters, settings)
    want = repeat_failures(story.cur(), filters.but(quarter_from=None), settings)
    pd.testing.assert_frame_equal(got["repeat_failures"], want)


def test_the_open_count_is_the_current_rows(story):
    got = meeting(story.cur(), Filters(), Settings())
    rf = got["repeat_failures"]
    assert got["headline"]["open_repeat_failures"] == 1
    assert rf[rf["current"]][["force", "question_id", "streak"]].values.tolist() == [
        ["Cheshire", "1.1", 3]
    ]
    assert not rf[~rf["current"]].empty  # Cumbria's ended streak is there too
