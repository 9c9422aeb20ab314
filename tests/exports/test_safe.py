import math

from hypothesis import given
from hypothesis import strategies as st

from dashboard.exports.safe import DANGEROUS_STARTS, neutralise, neutralise_frame


def test_each_dangerous_start_is_neutralised():
    for start in DANGEROUS_STARTS:
        text = f'{start}HYPERLINK("http://x","click")'
        assert neutralise(text) == "'" + text


def test_ordinary_text_and_non_text_are_left_alone():
    assert neutralise("Actions are not dated") == "Actions are not dated"
    assert neutralise("") == ""
    assert neutralise(-3) == -3 and neutralise(-2.5) == -2.5
    assert neutralise(None) is None


@given(st.text())
def test_neutralised_text_never_starts_a_formula(text):
    out = neutralise(text)
    assert not out.startswith(DANGEROUS_STARTS)
    assert out in (text, "'" + text)


@given(
    st.lists(
        st.one_of(st.integers(-(10**6), 10**6), st.floats(allow_nan=False, allow_infinity=False)),
        min_size=1,
    )
)
def test_numeric_columns_keep_type_and_value(values):
    import pandas as pd

    df = pd.DataFrame({"x": values, "t": ["=1+1"] * len(values)})
    out = neutralise_frame(df)
    assert out["x"].dtype == df["x"].dtype
    assert all(
        a == b or (math.isnan(a) and math.isnan(b)) for a, b in zip(out["x"], df["x"], strict=True)
    )
    assert set(out["t"]) == {"'=1+1"}
    assert df["t"].iloc[0] == "=1+1"  # the input is not changed
