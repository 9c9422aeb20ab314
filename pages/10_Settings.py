"""Settings: question set versions, forces and aliases, grade scale, themes, thresholds."""

import pandas as pd
import streamlit as st

from analysis.overview import dimension_values
from dashboard import questions, store
from dashboard.settings import Settings, save_settings
from dashboard.ui import data
from dashboard.ui import settings_forms as forms
from dashboard.ui.identity import who_and_source
from dashboard.ui.text import plain

con = data.connection()
settings = data.settings()
who, source = who_and_source()
HELP = Settings.help()
SAVED = "settings_saved"

st.title("Settings")
st.caption(plain(f"Changes are saved in the database and logged as {who} ({source})."))
if SAVED in st.session_state:
    st.success(plain(st.session_state.pop(SAVED)))

qs_tab, forces_tab, numbers_tab, themes_tab = st.tabs(
    ["Question set", "Forces and aliases", "Grades and thresholds", "Themes"],
    key="settings_tab",
    on_change="rerun",  # remember the tab across the rerun that follows a save
)

with qs_tab:
    st.caption(
        "The QA question set is data: import your version as CSV or XLSX with the "
        "columns question_id, section, text (section_no optional). It becomes active "
        "for new imports; earlier reviews keep the version they were graded against."
    )
    sets = pd.DataFrame(questions.question_sets(con))
    st.dataframe(sets, hide_index=True, width="stretch")
    with st.form("question_set_form", clear_on_submit=True):
        qfile = st.file_uploader("Question set file", type=["csv", "xlsx"], key="qs_file")
        qname = st.text_input("Name for this version (optional)", key="qs_name")
        if st.form_submit_button("Import question set", type="primary"):
            if qfile is None:
                st.error("Choose a question set file first.")
            else:
                try:
                    v = questions.import_question_set(
                        con, qfile.getvalue(), qfile.name, who, qname.strip() or None
                    )
                except questions.QuestionSetError as exc:
                    st.error(plain(str(exc)))
                else:
                    st.session_state[SAVED] = (
                        f"Question set version {v} imported and active; "
                        "earlier reviews keep their version."
                    )
                    st.rerun()
    active = questions.load_questions(con)
    with st.expander(f"Active questions ({len(active)})"):
        st.dataframe(pd.DataFrame([q.__dict__ for q in active]), hide_index=True, width="stretch")

with forces_tab:
    st.caption(
        "Short names are what exports and pages show; aliases (separated by |) are the "
        "names people use in sheet names and titles. A force with reviews cannot be "
        "removed: add its other name as an alias."
    )
    edited = st.data_editor(
        forms.forces_table(store.load_forces(con)),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key="forces_editor",
    )
    if st.button("Save forces", key="save_forces", type="primary"):
        with_data = dimension_values(con.cursor())["forces"]
        try:
            forces = forms.forces_from_table(edited, with_data=list(with_data))
        except forms.SettingsError as exc:
            st.error(plain(str(exc)))
        else:
            store.save_forces(con, forces, who)
            st.session_state[SAVED] = f"Saved {len(forces.names)} forces and their aliases."
            st.rerun()

with numbers_tab:
    server_mb = int(st.get_option("server.maxUploadSize"))
    with st.form("numbers_form"):
        scale = st.radio(
            "Grade scale",
            ["Four grades", "Five grades (adds Adequate)"],
            index=1 if settings.five_grades else 0,
            horizontal=True,
            help=HELP["five_grades"],
            key="five_grades",
        )
        values = {}
        for heading, keys in forms.NUMBER_GROUPS:
            st.markdown(f"**{heading}**")
            for col, key in zip(st.columns(max(3, len(keys))), keys, strict=False):
                cast = type(getattr(settings, key))  # int or float, as the setting is
                lo, hi = forms.LIMITS[key]
                server = f" The server's limit is {server_mb} MB." if key == "max_upload_mb" else ""
                values[key] = col.number_input(
                    key,
                    cast(lo),
                    cast(hi),
                    cast(getattr(settings, key)),
                    cast(forms.STEPS[key]),
                    help=HELP[key] + server,
                    key=key,
                )
        if st.form_submit_button("Save grades and thresholds", type="primary"):
            try:
                clean = forms.check_numbers(values, server_upload_mb=server_mb)
            except forms.SettingsError as exc:
                st.error(plain(str(exc)))
            else:
                clean["five_grades"] = scale.startswith("Five")
                save_settings(con, clean, who)
                st.session_state[SAVED] = "Saved the grade scale and thresholds."
                st.rerun()

with themes_tab:
    st.caption(HELP["themes"] + " Separate keywords with |.")
    edited_themes = st.data_editor(
        forms.themes_table(settings.themes),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key="themes_editor",
    )
    if st.button("Save themes", key="save_themes", type="primary"):
        try:
            themes = forms.themes_from_table(edited_themes)
        except forms.SettingsError as exc:
            st.error(plain(str(exc)))
        else:
            save_settings(con, {"themes": themes}, who)
            st.session_state[SAVED] = f"Saved {len(themes)} themes."
            st.rerun()
