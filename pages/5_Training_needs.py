"""Training needs: recurring failures for CPD planners, officers' needs, suggested topics,
and the intervention log with the grades before and after each intervention."""

import datetime as dt

import streamlit as st

from analysis.training_needs import (
    force_training_needs,
    intervention_effect,
    interventions,
    officer_training_needs,
    suggested_topics,
)
from dashboard.interventions import InterventionError, add_intervention, delete_intervention
from dashboard.ui import chrome, data, filters
from dashboard.ui.tables import show_table
from dashboard.ui.text import plain

st.title("Training needs")
f = filters.filter_bar()
settings = data.settings()
desc = filters.describe(f)
dims = filters.dimensions()
pct = st.column_config.NumberColumn("share failing", format="percent")

st.subheader("Recurring failures by force and question")
st.caption(
    f"Questions a force failed in {settings.min_streak}+ quarters ({desc}); ranked for CPD "
    "planning. n = the force's graded answers to the question in the period."
)
ftn = data.frame(force_training_needs, f, settings)
show_table(
    ftn[
        [
            "force",
            "question_id",
            "question",
            "failing_quarters",
            "quarters_with_data",
            "current_streak",
            "share_failing",
            "failures",
            "n",
            "quarters",
        ]
    ]
    if len(ftn)
    else ftn,
    "recurring failures",
    key="tn_force",
    filters_text=desc,
    column_config={"share_failing": pct},
    empty="No recurring failures for these filters.",
)

st.subheader("Officers with recurring failures")
force_opts = ["All forces", *dims["forces"]]
pick = filters.url_choice("Force", force_opts, "officers_of", "All forces", where=st.columns(3)[0])
st.caption(
    f"The same officer failing the same question in {settings.min_officer_reviews}+ different "
    "reviews. Officer names are judgements about staff: share them within the force."
)
otn = data.frame(officer_training_needs, f, settings)
if len(otn) and pick != "All forces":
    otn = otn[otn["force"] == pick]
show_table(
    otn[
        [
            "force",
            "officer",
            "question_id",
            "question",
            "failures",
            "reviews",
            "n_graded",
            "quarters",
        ]
    ]
    if len(otn)
    else otn,
    "officer training needs",
    key="tn_officers",
    filters_text=desc,
    empty="No officer has failed the same question in several reviews.",
)

st.subheader("Suggested training topics")
st.caption(
    f"Sections and feedback themes with failures in {settings.min_streak}+ quarters, "
    "by how many forces need them."
)
topics = data.frame(suggested_topics, f, settings)
show_table(
    topics,
    "suggested topics",
    key="tn_topics",
    filters_text=desc,
    column_config={"share_failing": pct},
    empty="No topics stand out for these filters.",
)

st.subheader("Interventions and what followed")
st.caption(
    "Grades of the force (officer, question) in the 2 quarters before the quarter of the "
    "intervention against the 2 quarters after it; n = graded answers."
)
if flash := st.session_state.pop("_tn_flash", None):
    st.success(flash)
effect = data.frame(intervention_effect, settings)
num = {
    c: st.column_config.NumberColumn(c, format="%.2f")
    for c in ("before_avg", "after_avg", "change")
}
show_table(
    effect[
        [
            "topic",
            "force",
            "officer",
            "question_id",
            "delivered_on",
            "before_quarters",
            "before_avg",
            "before_n",
            "after_quarters",
            "after_avg",
            "after_n",
            "change",
            "before_share_failing",
            "after_share_failing",
        ]
    ]
    if len(effect)
    else effect,
    "interventions before and after",
    key="tn_effect",
    column_config={
        **num,
        "before_share_failing": st.column_config.NumberColumn("failing before", format="percent"),
        "after_share_failing": st.column_config.NumberColumn("failing after", format="percent"),
    },
    empty="No interventions logged yet: add one below.",
)

with st.expander("Log an intervention", icon=":material/add:", expanded=not len(effect)):
    questions = dims["questions"]
    q_opts = [""] + list(questions["question_id"])
    q_text = dict(zip(questions["question_id"], questions["question"], strict=True))
    with st.form("add_intervention", clear_on_submit=True):
        a, b = st.columns(2)
        topic = a.text_input(
            "What the training or action was *", placeholder="CPD event: writing SMART actions"
        )
        force = b.selectbox("For which force *", dims["all_forces"] or dims["forces"])
        officer = a.text_input("Officer (optional: leave empty for the whole force)")
        question = b.selectbox(
            "Question (optional)",
            q_opts,
            format_func=lambda q: "Any question" if not q else f"{q} {q_text.get(q, '')}"[:90],
        )
        delivered = a.date_input("Delivered on *", value=dt.date.today(), format="DD/MM/YYYY")
        notes = b.text_input("Notes (optional)")
        if st.form_submit_button("Add to the log", type="primary"):
            try:
                new_id = add_intervention(
                    data.connection(),
                    force,
                    topic,
                    delivered,
                    chrome.who(),
                    officer=officer or None,
                    question_id=question or None,
                    notes=notes or None,
                )
                st.session_state["_tn_flash"] = f"Logged intervention {new_id}."
                st.rerun()
            except InterventionError as exc:
                st.error(plain(str(exc)))

log = data.frame(interventions)
if len(log):
    with st.expander("The log (remove an entry)"):
        show_table(log, "intervention log", key="tn_log")
        gone = st.selectbox(
            "Remove",
            list(log["intervention_id"]),
            format_func=lambda i: (
                f"{i}: " + str(log.set_index("intervention_id").loc[i, "topic"])[:80]
            ),
        )
        if st.button("Remove this intervention", key="tn_delete"):
            delete_intervention(data.connection(), int(gone), chrome.who())
            st.rerun()
