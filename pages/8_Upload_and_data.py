"""Upload and data: check workbooks before anything is written, import, undo, download."""

import streamlit as st

from dashboard import importer, questions
from dashboard.audit import audit_actions, audit_log
from dashboard.ui import data, downloads, upload
from dashboard.ui.identity import who_and_source
from dashboard.ui.text import plain

con = data.connection()
settings = data.settings()
who, source = who_and_source()

st.title("Upload and data")
st.caption(
    plain(f"Signed in as {who} ({source}). Imports, undos and downloads are logged with this name.")
)
upload.show_messages()
history = importer.import_history(con)
upload.demo_notice(con, history, who)

st.subheader("Upload workbooks")
files = st.file_uploader(
    "Regional review workbooks (.xlsx)",
    accept_multiple_files=True,
    type=None,  # the importer refuses other files with a reason a person understands
    key=upload.uploader_key(),
    help=f"One or more quarterly workbooks, up to {settings.max_upload_mb} MB each. Each is "
    "checked and its report shown before anything is written.",
)
entries = upload.read_files(con, files)
if entries:
    question_text = {q.question_id: q.text for q in questions.load_questions(con)}
    upload.import_all_button(con, entries, who)
    for entry in entries:
        upload.report(con, entry, settings, question_text, who)
else:
    st.caption(
        "Nothing waiting to be imported. Choose files above: each gets a validation report first."
    )

history_tab, downloads_tab, audit_tab = st.tabs(
    ["Import history", "Downloads", "Audit log"], key="upload_tab", on_change="rerun"
)
with history_tab:
    st.dataframe(
        upload.history_table(history),
        hide_index=True,
        width="stretch",
        column_config=upload.HISTORY_CONFIG,
    )
    upload.undo_controls(con, history, who)
with downloads_tab:
    downloads.section(con, who)
with audit_tab:
    st.caption(
        "Data Protection Act 2018 Part 3: collection (import), alteration (replace, "
        "settings), disclosure (export) and erasure (undo), with who and when."
    )
    actions = st.multiselect("Actions", audit_actions(con.cursor()), key="audit_actions")
    st.dataframe(
        audit_log(con.cursor(), limit=1000, actions=tuple(actions)),
        hide_index=True,
        width="stretch",
    )
