"""Feedback explorer: search and filter the reviewers' written feedback; themes from an
editable keyword list; export the selection. Feedback is shown as plain text only."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.feedback import search_feedback, theme_counts
from dashboard.settings import save_settings
from dashboard.ui import chrome, data, filters
from dashboard.ui.charts import show
from dashboard.ui.heatmap import plain
from dashboard.ui.tables import download_all_csv, show_table
from dashboard.vocab import NA, grade_scale

LIMIT = 2000

st.title("Feedback explorer")
f = filters.filter_bar()
settings = data.settings()
themes = st.session_state.get("_themes") or settings.themes

c = st.columns([0.4, 0.3, 0.3])
with c[0]:
    if "w_text" not in st.session_state or filters.page_changed():
        st.session_state["w_text"] = st.query_params.get("text") or st.session_state.get(
            "_c_text", ""
        )
    text = st.text_input(
        "Search the feedback",
        key="w_text",
        placeholder='words or "a quoted phrase", e.g. visor "home visit"',
    )
    st.session_state["_c_text"] = text
    if text:
        st.query_params["text"] = text
    else:
        st.query_params.pop("text", None)
with c[1]:
    grade_opts = [g.name for g in grade_scale(settings.five_grades)] + [NA]
    grades = filters.url_multichoice("Grades", grade_opts, "grade", placeholder="All grades")
with c[2]:
    chosen = filters.url_multichoice("Themes", list(themes), "theme", placeholder="Any theme")

with st.expander("Themes and their keywords", icon=":material/label:"):
    st.caption(
        "A theme matches feedback containing any of its keywords at the start of a word "
        "(case does not matter). Edit here to try a change; save to make it everyone's."
    )
    edited = st.data_editor(
        pd.DataFrame({"theme": list(themes), "keywords": [" | ".join(v) for v in themes.values()]}),
        num_rows="dynamic",
        hide_index=True,
        key="theme_editor",
        width="stretch",
    )
    new = {
        str(r.theme).strip(): [k.strip() for k in str(r.keywords or "").split("|") if k.strip()]
        for r in edited.itertuples()
        if isinstance(r.theme, str) and r.theme.strip()
    }
    b = st.columns(3)
    if b[0].button("Use for this session", disabled=new == themes):
        st.session_state["_themes"] = new
        st.rerun()
    if b[1].button("Save for everyone", disabled=new == settings.themes):
        save_settings(data.connection(), {"themes": new}, chrome.who())
        st.session_state.pop("_themes", None)
        st.rerun()
    if "_themes" in st.session_state and b[2].button("Back to the saved themes"):
        st.session_state.pop("_themes")
        st.rerun()

desc = filters.describe(f)
st.subheader("Themes in the feedback")
tc = data.frame(theme_counts, f, themes)
if len(tc) and tc["answers"].sum():
    d = tc.assign(
        label=tc.apply(
            lambda r: f"{r['share_failing']:.0%} of n={int(r['n'])}" if r["n"] else "n=0", axis=1
        )
    )
    fig = go.Figure(
        go.Bar(
            x=d["answers"].tolist(),
            y=[plain(t) for t in d["theme"]],
            orientation="h",
            text=d["label"].tolist(),
            textposition="outside",
            customdata=list(zip(d["n"].tolist(), d["failing"].tolist(), strict=True)),
            hovertemplate="%{y}: %{x} answers<br>failing %{customdata[1]} of n = %{customdata[0]} graded<extra></extra>",
            showlegend=False,
        ),
        layout=dict(
            height=60 + 32 * len(d),
            margin=dict(l=10, r=40, t=10, b=10),
            xaxis=dict(title=dict(text="answers whose feedback mentions the theme")),
            yaxis=dict(autorange="reversed", title=dict(text="")),
        ),
    )
    show(fig, "themes_chart")
    st.caption(
        "Bar: answers mentioning the theme; label: the share of them graded as failing, of n graded."
    )
else:
    st.caption("No feedback mentions any theme for these filters.")
with st.expander("Theme table"):
    show_table(
        tc,
        "feedback themes",
        key="fb_themes",
        filters_text=desc,
        column_config={
            "share_failing": st.column_config.NumberColumn("share failing", format="percent")
        },
    )

st.subheader("Feedback")
res = data.frame(search_feedback, f, text, tuple(grades), tuple(chosen), themes, LIMIT)
more = " (the newest shown; narrow the search to see older)" if len(res) >= LIMIT else ""
st.caption(f"{len(res):,} answers{more}; {desc}.")
if len(res) >= LIMIT:  # the download is never cut short: every match, queried on click
    con = data.connection()
    download_all_csv(
        lambda: search_feedback(con.cursor(), f, text, tuple(grades), tuple(chosen), themes),
        "feedback selection (every match)",
        key="fb_results",
        label="Download every match (CSV)",
        filters_text=desc,
    )
show_table(
    res[
        [
            "quarter",
            "force",
            "risk_level",
            "officer",
            "question_id",
            "question",
            "grade",
            "feedback",
            "reviewing_force",
        ]
    ]
    if len(res)
    else res,
    "feedback selection",
    key="fb_results",
    filters_text=desc,
    column_config={"feedback": st.column_config.TextColumn("feedback", width="large")},
    empty="No feedback matches.",
)
if len(res):
    st.caption("Read in full (first 25):")
    for a in res.head(25).to_dict("records"):
        with st.container(border=True):
            st.text(
                " - ".join(
                    str(v)
                    for v in (
                        a["grade"] or "ungraded",
                        a["quarter"],
                        a["force"],
                        a["risk_level"],
                        f"Q{a['question_id']}",
                    )
                    if v
                )
            )
            st.text(a["feedback"])
