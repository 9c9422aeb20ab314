"""Good practice library: outstanding (and good) answers by question, with the feedback."""

import streamlit as st

from analysis.good_practice import good_practice
from dashboard.ui import data, filters
from dashboard.ui.tables import show_table
from dashboard.ui.text import plain
from dashboard.vocab import GOOD, OUTSTANDING

PER_QUESTION = 5

st.title("Good practice library")
st.caption(
    "What good looks like: answers the reviewers graded highly, with what they wrote about them."
)
f = filters.filter_bar()
dims = filters.dimensions()
questions = dims["questions"]
q_text = dict(zip(questions["question_id"], questions["question"], strict=True))
c = st.columns([0.3, 0.7])
level = filters.url_choice(
    "Answers graded",
    [OUTSTANDING.name, f"{OUTSTANDING.name} or {GOOD.name}"],
    "level",
    OUTSTANDING.name,
    where=c[0],
    widget="radio",
)
grades = (OUTSTANDING.name,) if level == OUTSTANDING.name else (OUTSTANDING.name, GOOD.name)
with c[1]:
    q = filters.url_choice(
        "Question",
        ["", *questions["question_id"]],
        "question",
        "",
        format_func=lambda k: "All questions" if not k else f"{k} {q_text.get(k, '')}"[:110],
    )
ff = f.but(questions=(q,)) if q else f
gp = data.frame(good_practice, ff, grades)
desc = filters.describe(ff)
st.caption(f"{len(gp):,} answers; {desc}.")
show_table(
    gp[
        [
            "question_id",
            "question",
            "grade",
            "feedback",
            "force",
            "quarter",
            "risk_level",
            "reviewing_force",
            "officer",
        ]
    ]
    if len(gp)
    else gp,
    "good practice",
    key="gp_table",
    filters_text=desc,
    column_config={"feedback": st.column_config.TextColumn("feedback", width="large")},
    empty="No answers at this grade for these filters.",
)
if len(gp):
    shown = 0
    for qid, grp in gp.groupby("question_id", sort=False):
        if shown >= 12:
            st.caption("More questions in the table above.")
            break
        shown += 1
        st.markdown(f"**{plain(qid)} {plain(grp['question'].iloc[0])}** - {len(grp)} answers")
        for a in grp.head(PER_QUESTION).to_dict("records"):
            with st.container(border=True):
                st.text(f"{a['grade']} - {a['force']} - {a['quarter']} - {a['risk_level']} risk")
                st.text(a["feedback"] if a["feedback"] else "(no feedback written)")
