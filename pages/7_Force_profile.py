"""Force profile: one force against the region - strengths, weaknesses, trend, officers."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.force_profile import force_vs_region, officer_summary
from analysis.trends import quarter_trend
from dashboard.ui import data, filters
from dashboard.ui.charts import Y_LABELS, show, trend_figure
from dashboard.ui.heatmap import plain as chart_text
from dashboard.ui.tables import show_table
from dashboard.vocab import grade_scale

st.title("Force profile")
f = filters.filter_bar(show=("quarters", "risk", "sections"))
settings = data.settings()
dims = filters.dimensions()
c = st.columns([0.3, 0.3, 0.4])
with c[0]:
    force = filters.url_choice(
        "Force", list(dims["forces"]), "profile", dims["forces"][0] if dims["forces"] else None
    )
with c[1]:
    metric = filters.url_choice(
        "Measure", list(Y_LABELS), "measure", "share_failing", format_func=Y_LABELS.get
    )
region_f = f.but(forces=())
desc = filters.describe(f.but(forces=(force,)))
st.caption(f"{force} against the region (every force, {force} included); {desc}.")

fvr = data.frame(force_vs_region, region_f, force)
has = fvr[fvr["force_n"] > 0] if len(fvr) else fvr
avg = st.column_config.NumberColumn
cfg = {
    "force_avg": avg(f"{force} average", format="%.2f"),
    "region_avg": avg("region average", format="%.2f"),
    "diff": avg("difference", format="%+.2f"),
    "force_n": avg("n", help=f"{force}'s graded answers"),
    "region_n": avg("region n", help="graded answers across the region"),
    "force_share_failing": avg(f"{force} failing", format="percent"),
}
cols = [
    "question_id",
    "diff",
    "force_avg",
    "force_n",
    "region_avg",
    "region_n",
    "force_share_failing",
    "question",
]
left, right = st.columns(2)
with left:
    st.subheader("Strengths")
    st.caption("Questions where the force's average grade is furthest above the region's.")
    show_table(
        has[has["diff"] > 0].sort_values("diff", ascending=False).head(8)[cols]
        if len(has)
        else has,
        f"{force} strengths",
        key="fp_strengths",
        column_config=cfg,
        empty="None above the region.",
    )
with right:
    st.subheader("Weaknesses")
    st.caption("Questions where the force's average grade is furthest below the region's.")
    show_table(
        has[has["diff"] < 0].sort_values("diff").head(8)[cols] if len(has) else has,
        f"{force} weaknesses",
        key="fp_weaknesses",
        column_config=cfg,
        empty="None below the region.",
    )

st.subheader(f"{force} and the region, question by question")
if len(has):
    d = has.sort_values(["section_no", "ordinal"])
    scale = grade_scale(settings.five_grades)
    labels = [chart_text(q) for q in d["question_id"]]
    hover = [
        f"{chart_text(r.question_id)} {chart_text(r.question)[:80]}<br>{chart_text(force)}: {r.force_avg:.2f} (n={r.force_n})"
        f"<br>region: {r.region_avg:.2f} (n={r.region_n})"
        for r in d.itertuples()
    ]
    fig = go.Figure(
        [
            go.Scatter(
                x=labels,
                y=d["region_avg"],
                mode="markers",
                name="Region",
                marker=dict(symbol="line-ew-open", size=18, line=dict(width=3, color="#555555")),
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            ),
            go.Bar(
                x=labels,
                y=d["force_avg"],
                name=chart_text(force),
                text=[f"n={n}" for n in d["force_n"]],
                textposition="inside",
                marker_color="#1F3A5F",
                opacity=0.85,
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            ),
        ]
    )
    fig.update_layout(
        height=380,
        margin=dict(l=10, r=10, t=10, b=10),
        barmode="overlay",
        legend=dict(orientation="h", y=1.08),
        xaxis=dict(type="category"),
        yaxis=dict(
            range=[0.8, 4.2], tickvals=[g.score for g in scale], ticktext=[g.short for g in scale]
        ),
    )
    show(fig, "fp_questions")
    st.caption(
        "Bars: the force's average grade per question (n = graded answers); "
        "grey marks: the region's average."
    )

st.subheader("Trend")
t_force = data.frame(quarter_trend, f.but(forces=(force,))).assign(series=force)
t_region = data.frame(quarter_trend, region_f).assign(series="Region")
trend = pd.concat([t_force, t_region], ignore_index=True)
if len(trend):
    show(trend_figure(trend, metric, color="series", five=settings.five_grades), "fp_trend")

st.subheader("Officers")
st.caption(
    f"Training needs: questions failed in {settings.min_officer_reviews}+ of the officer's reviews."
)
off = data.frame(officer_summary, f, force, settings)
show_table(
    off,
    f"{force} officers",
    key="fp_officers",
    filters_text=desc,
    column_config={
        "avg_score": avg("average", format="%.2f"),
        "share_failing": avg("failing", format="percent"),
        "share_good": avg("good or better", format="percent"),
    },
    empty="No officers recorded for these filters.",
)
