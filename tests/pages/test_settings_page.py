"""The Settings page (AppTest on a database on disk) and its validation rules."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import questions, store
from dashboard.audit import audit_log
from dashboard.settings import load_settings
from dashboard.ui import settings_forms as forms
from dashboard.vocab import default_forces

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "10_Settings.py")


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "settings.duckdb"
    monkeypatch.setenv("ARMS_DB", str(path))
    monkeypatch.setenv("ARMS_NO_AUTODEMO", "1")
    monkeypatch.setenv("ARMS_USER", "settings-tester")
    store.connect(path).close()
    return path


def _app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    return at


def _read(db):
    from dashboard.ui import data

    return data.connection()  # the page's own connection to this database


def test_page_shows_question_sets_and_every_threshold_with_help(db):
    at = _app()
    assert [t.label for t in at.tabs] == [
        "Question set",
        "Forces and aliases",
        "Grades and thresholds",
        "Themes",
    ]
    assert "Illustrative" in at.dataframe[0].value["name"].iloc[0]
    labels = {n.label: n.help for n in at.number_input}
    for name in forms.LIMITS:
        assert labels[name], name


def test_saving_thresholds_changes_the_settings_and_is_logged(db):
    at = _app()
    at.number_input(key="fail_share").set_value(0.6)
    at.number_input(key="min_streak").set_value(3)
    at.radio(key="five_grades").set_value("Five grades (adds Adequate)")
    next(b for b in at.button if b.label == "Save grades and thresholds").click()
    at.run()
    assert not at.exception and not at.error
    con = _read(db)
    s = load_settings(con)
    assert (s.fail_share, s.min_streak, s.five_grades) == (0.6, 3, True)
    log = audit_log(con.cursor(), actions=("settings",))
    assert log.iloc[0]["who"] == "settings-tester"
    assert any("Saved the grade scale" in m.value for m in at.success)


def test_inconsistent_confidences_are_refused_in_one_line(db):
    at = _app()
    at.number_input(key="min_match_confidence").set_value(0.95)
    at.number_input(key="low_match_confidence").set_value(0.8)
    next(b for b in at.button if b.label == "Save grades and thresholds").click()
    at.run()
    assert len(at.error) == 1 and "low\\_match\\_confidence" in at.error[0].value
    assert load_settings(_read(db)).min_match_confidence == 0.6  # nothing saved


def test_importing_a_question_set_adds_a_version_and_keeps_the_old(db):
    at = _app()
    csv = b"question_id,section,text\n1.1,Timeliness,Was it on time?\n2.1,Actions,Are actions SMART?\n"
    at.file_uploader(key="qs_file").set_value(("our_set.csv", csv, "text/csv"))
    at.text_input(key="qs_name").set_value("Region set 2025")
    next(b for b in at.button if b.label == "Import question set").click()
    at.run()
    assert not at.exception
    sets = questions.question_sets(_read(db))
    assert [s["version"] for s in sets] == [1, 2]
    assert sets[1]["active"] and sets[1]["name"] == "Region set 2025" and not sets[0]["active"]
    assert any("version 2 imported" in m.value for m in at.success)


def test_a_bad_question_set_is_refused_with_its_reason(db):
    at = _app()
    at.file_uploader(key="qs_file").set_value(("bad.csv", b"id,words\n1,x\n", "text/csv"))
    next(b for b in at.button if b.label == "Import question set").click()
    at.run()
    assert len(at.error) == 1 and "needs the columns" in at.error[0].value
    assert len(questions.question_sets(_read(db))) == 1


# ------------------------------------------------------------------ the rules


def test_forces_table_round_trips():
    f = forms.forces_from_table(forms.forces_table(default_forces()))
    assert f.names == default_forces().names and f.match("GMP") == "Greater Manchester"


def test_a_new_alias_is_recognised_after_saving():
    t = forms.forces_table(default_forces())
    t.loc[t["force"] == "Cumbria", "aliases"] += " | Cumb"
    assert forms.forces_from_table(t).match("Cumb Q3") == "Cumbria"


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.assign(force=t["force"].where(t.index != 0, "")), "needs a short name"),
        (lambda t: pd.concat([t, t.iloc[[0]]]), "Cheshire"),
        (
            lambda t: t.assign(aliases=t["aliases"].where(t.index != 1, "GMP | Lancs")),
            "is used for both",
        ),
        (lambda t: t.iloc[1:], "has reviews"),
    ],
)
def test_bad_force_edits_are_refused(edit, message):
    t = forms.forces_table(default_forces())
    with pytest.raises(forms.SettingsError, match=message):
        forms.forces_from_table(edit(t), with_data=["Cheshire"])


def test_themes_table_round_trips_and_refuses_empty_keywords():
    themes = {"Actions": ["action", "smart"], "ViSOR": ["visor"]}
    assert forms.themes_from_table(forms.themes_table(themes)) == themes
    bad = pd.DataFrame([{"theme": "Actions", "keywords": " | "}])
    with pytest.raises(forms.SettingsError, match="at least one keyword"):
        forms.themes_from_table(bad)
    dup = pd.DataFrame([{"theme": "A", "keywords": "x"}, {"theme": "a", "keywords": "y"}])
    with pytest.raises(forms.SettingsError, match="twice"):
        forms.themes_from_table(dup)


def test_upload_limit_cannot_exceed_the_servers():
    with pytest.raises(forms.SettingsError, match="server's limit of 25 MB"):
        forms.check_numbers({"max_upload_mb": 30}, server_upload_mb=25)
    assert forms.check_numbers({"max_upload_mb": 20, "fail_share": 0.5}, 25) == {
        "max_upload_mb": 20,
        "fail_share": 0.5,
    }


def test_saving_forces_and_themes_from_the_page_writes_and_logs_them(db):
    at = _app()
    next(b for b in at.button if b.label == "Save forces").click()
    at.run()
    assert not at.exception and not at.error
    assert any("Saved 6 forces" in m.value for m in at.success)
    next(b for b in at.button if b.label == "Save themes").click()
    at.run()
    assert not at.exception and not at.error
    con = _read(db)
    assert store.load_forces(con).names == default_forces().names
    assert "themes" in store.get_setting_values(con)  # now stored, no longer the default
    assert audit_log(con.cursor(), actions=("settings",))["who"].tolist() == ["settings-tester"] * 2


def test_every_number_setting_has_one_input_with_its_limits_and_step():
    from dashboard.ui import settings_forms as forms

    in_groups = [k for _, keys in forms.NUMBER_GROUPS for k in keys]
    assert sorted(in_groups) == sorted(forms.LIMITS) == sorted(forms.STEPS)
    assert len(in_groups) == len(set(in_groups))
