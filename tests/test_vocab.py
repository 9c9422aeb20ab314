"""The vocabulary: grade words, colours by hue, risk levels, forces, quarters."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import vocab
from dashboard.vocab import Quarter, default_forces, parse_grade, parse_quarter


@pytest.mark.parametrize(
    "typed, grade",
    [
        ("O", "Outstanding"),
        ("Outstanding", "Outstanding"),
        (4, "Outstanding"),
        ("G", "Good"),
        ("good", "Good"),
        (3.0, "Good"),
        ("Good (green)", "Good"),
        ("RI", "Requires improvement"),
        ("R/I", "Requires improvement"),
        ("Req. Imp.", "Requires improvement"),
        ("requires improvement", "Requires improvement"),
        ("Requries improvement", "Requires improvement"),
        (2, "Requires improvement"),
        ("Inadequate ", "Inadequate"),
        ("I", "Inadequate"),
        (1, "Inadequate"),
        ("N/A", "N/A"),
        ("n/a", "N/A"),
        ("Not applicable", "N/A"),
        ("NA", "N/A"),
    ],
)
def test_grade_words_people_type(typed, grade):
    assert parse_grade(typed) == grade


@pytest.mark.parametrize("typed", ["", "  ", None, "see feedback", 5, 0, 2.5, "hello world", True])
def test_not_a_grade(typed):
    assert parse_grade(typed) is None


def test_adequate_only_on_the_five_grade_scale():
    assert parse_grade("Adequate") is None
    assert parse_grade("Adequate", five=True) == "Adequate"
    assert [g.name for g in vocab.grade_scale(True)].index("Adequate") == 2


def test_scores_and_failures_follow_the_contract():
    assert [vocab.grade_score(g.name) for g in vocab.GRADES_FOUR] == [4, 3, 2, 1]
    assert vocab.grade_score("N/A") is None and vocab.grade_score(None) is None
    assert set(vocab.FAILING_GRADES) == {"Requires improvement", "Inadequate"}


@pytest.mark.parametrize(
    "rgb, grade",
    [
        ("FFFF00", "Outstanding"),
        ("FFFF99", "Outstanding"),
        ("00B050", "Good"),
        ("92D050", "Good"),
        ("C6EFCE", "Good"),  # Excel 'Good' style
        ("FFC000", "Requires improvement"),
        ("FFEB9C", "Requires improvement"),  # 'Neutral'
        ("FF0000", "Inadequate"),
        ("FFC7CE", "Inadequate"),
        ("C00000", "Inadequate"),  # 'Bad'
        ("FFFFFF", None),
        ("D9D9D9", None),
        ("0070C0", None),
        ("000000", None),
    ],
)
def test_fill_colours_classified_by_hue(rgb, grade):
    assert vocab.grade_for_colour(vocab.hex_to_rgb(rgb)) == grade


def test_our_own_colours_read_back_as_their_grades():
    for g in vocab.GRADES_FIVE:
        assert vocab.grade_for_colour(vocab.hex_to_rgb(g.colour), five=True) == g.name


@pytest.mark.parametrize(
    "typed, level",
    [
        ("Low", "Low"),
        ("med", "Medium"),
        ("HIGH", "High"),
        ("V. High", "Very high"),
        ("Very High risk", "Very high"),
        ("VH", "Very high"),
        ("", None),
        ("unknown", None),
    ],
)
def test_risk_levels(typed, level):
    assert vocab.parse_risk_level(typed) == level


@pytest.mark.parametrize(
    "sheet, force",
    [
        ("GMP", "Greater Manchester"),
        ("Greater Manchester Police", "Greater Manchester"),
        ("Lancs", "Lancashire"),
        ("N Wales", "North Wales"),
        ("Cumbria ", "Cumbria"),
        ("Merseyside Q2", "Merseyside"),
        ("Cheshire Constabulary", "Cheshire"),
        ("Summary", None),
        ("Key", None),
        ("Instructions", None),
        ("Lists", None),
        ("Rota", None),
    ],
)
def test_sheet_names_to_forces(sheet, force):
    assert default_forces().match(sheet) == force


def test_forces_come_from_a_data_file_another_region_can_replace(tmp_path):
    p = tmp_path / "forces.csv"
    p.write_text("force,full_name,aliases\nDevon and Cornwall,Devon and Cornwall Police,D&C|DCP\n")
    forces = vocab.Forces.from_csv(p)
    assert forces.match("D&C") == "Devon and Cornwall"
    assert forces.match("GMP") is None


@pytest.mark.parametrize(
    "text",
    [
        "2024/25 Q2",
        "Q2 2024/25",
        "2024-25 Q2",
        "Q2 24/25",
        "FY24/25 Q2",
        "Jul-Sep 2024",
        "July to September 2024",
        "Quarter 2 2024/25",
        "ARMS peer review - Cheshire - 2024/25 Q2",
        "Q2 2024",
    ],
)
def test_quarter_forms(text):
    assert parse_quarter(text) == Quarter(2024, 2)


def test_quarter_edges():
    assert parse_quarter("Jan-Mar 2025") == Quarter(2024, 4)
    assert parse_quarter("2024/26 Q2") is None  # years that do not follow each other
    assert parse_quarter("nothing here") is None
    assert Quarter(2024, 4).start == dt.date(2025, 1, 1)
    assert Quarter(2024, 4).end == dt.date(2025, 3, 31)
    assert Quarter(2024, 4).next() == Quarter(2025, 1)
    assert Quarter.containing(dt.date(2024, 4, 1)) == Quarter(2024, 1)
    assert Quarter.containing(dt.date(2024, 3, 31)) == Quarter(2023, 4)


@given(st.integers(min_value=1990 * 4, max_value=2099 * 4 + 3))
def test_quarter_label_round_trips(index):
    q = Quarter.from_index(index)
    assert parse_quarter(q.label) == q
    assert q.next().index == q.index + 1
    assert Quarter.containing(q.start) == q and Quarter.containing(q.end) == q


@pytest.mark.parametrize(
    "score, grade",
    [
        (4, "Outstanding"),
        (3.6, "Outstanding"),
        (3.5, "Good"),
        (2.5, "Requires improvement"),
        (2.4, "Requires improvement"),
        (1.5, "Inadequate"),
        (1.0, "Inadequate"),
    ],
)
def test_an_average_takes_the_nearest_grade_and_a_split_the_lower(score, grade):
    assert vocab.grade_for_score(score).name == grade
