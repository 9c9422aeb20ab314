"""Trends and repeat failures: quarters side by side, streaks, improving and declining questions."""

import streamlit as st

from analysis.repeat_failures import repeat_failures
from analysis.trends import improving_declining, quarter_trend
from dashboard.ui import data, filters
from dashboard.ui.charts import Y_LABELS, show, trend_figure
from dashboard.ui.tables import show_table

MAX_PANELS = 12

st.title("Trends and repeat failures")
f = filters.filter_bar()
settings = data.settings()
desc = filters.describe(f)
metric = filters.url_choice(
    "Measure",
    list(Y_LABELS),
    "measure",
    "share_failing",
    format_func=Y_LABELS.get,
    where=st.columns(3)[0],
)

st.subheader("The region, quarter by quarter")
region = data.frame(quarter_trend, f)
if len(region):
    show(trend_figure(region, metric, five=settings.five_grades), "trend_region")
st.caption(f"{desc}. n = graded answers in the quarter (N/A and ungraded left out).")

st.subheader("Repeat failures")
st.caption(
    f"A force fails a question in a quarter when at least {settings.fail_share:.0%} of its graded "
    f"answers fail; a repeat failure is {settings.min_streak}+ such quarters in a row (of the "
    "quarters with data). Current streaks first."
)
rf = data.frame(repeat_failures, f, settings)
if len(rf):
    rf = rf.sort_values(["current", "streak", "last_quarter_idx"], ascending=[False, False, False])
show_table(
    rf[
        [
            "force",
            "question_id",
            "question",
            "streak",
            "current",
            "quarters",
            "n_failing",
            "n_graded",
        ]
    ]
    if len(rf)
    else rf,
    "repeat failures",
    key="trends_rf",
    filters_text=desc,
    empty="No repeat failures for these filters.",
)
if len(rf):
    top = rf.head(300)
    labels = (
        top["force"] + " - " + top["question_id"] + " (" + top["streak"].astype(str) + " quarters)"
    ).tolist()
    pick = st.selectbox(
        "Follow one repeat failure across quarters",
        range(len(labels)),
        format_func=labels.__getitem__,
    )
    r = rf.iloc[pick]
    one = data.frame(quarter_trend, f.but(forces=(r["force"],), questions=(r["question_id"],)))
    one = one.assign(force=r["force"])
    show(
        trend_figure(
            one, "share_failing", title=f"{r['force']}: {r['question_id']} {r['question']}"
        ),
        "trend_one_rf",
    )

st.subheader("Each force, quarter by quarter (small multiples)")
questions = filters.dimensions()["questions"]
q_text = dict(zip(questions["question_id"], questions["question"], strict=True))
q = filters.url_choice(
    "Question",
    ["", *questions["question_id"]],
    "question",
    "",
    where=st.columns([0.6, 0.4])[0],
    format_func=lambda k: "All questions" if not k else f"{k} {q_text.get(k, '')}"[:110],
)
by_force = data.frame(quarter_trend, f.but(questions=(q,)) if q else f, by="force")
forces = list(dict.fromkeys(by_force["force"])) if len(by_force) else []
if len(forces) > MAX_PANELS:  # national scale: the forces with the highest latest share failing
    latest = by_force.sort_values("quarter_idx").groupby("force").tail(1)
    keep = set(latest.sort_values("share_failing", ascending=False)["force"].head(MAX_PANELS))
    by_force = by_force[by_force["force"].isin(keep)]
    st.caption(
        f"{MAX_PANELS} of {len(forces)} forces: those with the highest share failing in their "
        "latest quarter. Choose forces in the sidebar to see others."
    )
if len(by_force):
    show(trend_figure(by_force, metric, facet="force", five=settings.five_grades), "trend_forces")

st.subheader("Improving and declining questions")
recent = st.slider("Compare the latest quarters (and as many before them)", 1, 4, 2, key="recent")
imp = data.frame(improving_declining, f, settings, recent)
left, right = st.columns(2)
cols = [
    "question_id",
    "question",
    "force",
    "earlier_avg",
    "recent_avg",
    "change",
    "n_earlier",
    "n_recent",
]
fmt = {
    c: st.column_config.NumberColumn(c, format="%.2f")
    for c in ("earlier_avg", "recent_avg", "change")
}
with left:
    st.markdown("**Improving** (average grade up by a quarter of a grade or more)")
    show_table(
        imp[imp["direction"] == "improving"][cols] if len(imp) else imp,
        "improving questions",
        key="trends_improving",
        column_config=fmt,
        empty="None for these filters.",
    )
with right:
    st.markdown("**Declining**")
    dec = imp[imp["direction"] == "declining"].sort_values("change") if len(imp) else imp
    show_table(
        dec[cols] if len(dec) else dec,
        "declining questions",
        key="trends_declining",
        column_config=fmt,
        empty="None for these filters.",
    )
