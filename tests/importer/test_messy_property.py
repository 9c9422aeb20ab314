"""Any mix of the variations people send still reads back the grades that were written."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import store
from dashboard.importer import read_workbook
from tests.importer import workbooks as wbs
from tests.importer.conftest import counts_add_up, grades_read, grades_written

PALE = {
    "Outstanding": "FFFF99",
    "Good": "C6EFCE",
    "Requires improvement": "FFEB9C",
    "Inadequate": "FFC7CE",
}
SHADES = [
    None,
    lambda g: wbs.fill(PALE[g]),
    lambda g: {
        "Outstanding": wbs.indexed_fill(13),
        "Good": wbs.theme_fill(6, 0.4),
        "Requires improvement": wbs.theme_fill(9, -0.25),
        "Inadequate": wbs.theme_fill(5),
    }[g],
]
WORDS = [
    None,
    {"Outstanding": "O", "Good": "G", "Requires improvement": "RI", "Inadequate": "I"},
    {"Outstanding": 4, "Good": 3, "Requires improvement": 2, "Inadequate": 1},
]
SHEET_NAMES = [
    None,
    {"Greater Manchester": "GMP", "Lancashire": "Lancs ", "Cheshire": "Cheshire Q2"},
]
META = [
    wbs.META_DEFAULT,
    (("OM", "officer"), ("Risk category", "risk_level"), ("ViSOR ref", "case_ref")),
    (("Case ref", "case_ref"), ("RSO risk level", "risk_level")),
]

_CON = None


def _con():
    global _CON
    if _CON is None:
        _CON = store.connect(":memory:")
    return _CON


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    forces=st.lists(
        st.sampled_from(["Cheshire", "Greater Manchester", "Lancashire"]),
        min_size=1,
        max_size=3,
        unique=True,
    ),
    n_cases=st.integers(1, 5),
    mode=st.sampled_from(["text", "colour", "both"]),
    shade=st.sampled_from(SHADES),
    words=st.sampled_from(WORDS),
    names=st.sampled_from(SHEET_NAMES),
    meta=st.sampled_from(META),
    top=st.integers(0, 3),
    left=st.integers(0, 2),
    blank_every=st.sampled_from([0, 3, 7]),
    merged=st.booleans(),
    notes=st.booleans(),
    number_col=st.booleans(),
    extra=st.sampled_from([(), ("Summary",), ("Key", "Rota")]),
    seed=st.integers(0, 1000),
)
def test_any_mix_of_variations_reads_back(
    forces,
    n_cases,
    mode,
    shade,
    words,
    names,
    meta,
    top,
    left,
    blank_every,
    merged,
    notes,
    number_col,
    extra,
    seed,
):
    cases = {f: wbs.make_cases(f, n_cases, seed) for f in forces}
    spec = wbs.Blocks(
        grade_mode=mode,
        shade=shade if mode != "text" else None,
        grade_text=(lambda g: g if g == "N/A" else words[g])
        if words and mode != "colour"
        else None,
        sheet_names=names,
        meta=meta,
        top_blank_rows=top,
        left_blank_cols=left,
        blank_row_every=blank_every,
        merged_sections=merged,
        notes_col=notes,
        number_col=number_col,
        extra_sheets=extra,
    )
    plan = read_workbook(wbs.build_blocks(cases, spec), "ARMS 2024-25 Q2.xlsx", _con())
    assert plan.status == "ok", plan.reason
    assert counts_add_up(plan) and not plan.unmatched
    assert grades_read(plan) == grades_written(cases)
    assert sorted(r.force for r in plan.reviews) == sorted(
        f for f in forces for _ in range(n_cases)
    )
