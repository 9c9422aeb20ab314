import csv
import io

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis.filters import Filters
from dashboard import store
from dashboard.cli import main as cli
from dashboard.exports.tidy import (
    export_tidy,
    tidy_frame,
    to_csv_bytes,
    to_parquet_bytes,
    to_xlsx_bytes,
)
from dashboard.vocab import NA, Quarter, grade_score

# contract.md, "Tidy export columns", in this order
CONTRACT = [
    "quarter",
    "quarter_start",
    "force",
    "reviewing_force",
    "risk_level",
    "case_id",
    "officer",
    "question_id",
    "section",
    "question",
    "grade",
    "grade_score",
    "grade_source",
    "feedback",
]
DANGEROUS = [
    '=HYPERLINK("http://evil","x")',
    "+44 7700 900123",
    "-5 days late",
    "@SUM(A1:A9)",
    "\tleading tab",
    "\rleading CR",
]


def plant(con, values=DANGEROUS, force="Lancashire", quarter="2024/25 Q2"):
    """Put dangerous feedback (and one officer name) into the demo answers."""
    cur = con.cursor()
    ids = cur.execute(
        "SELECT review_id, question_id FROM answer_facts WHERE force = ? AND quarter = ? "
        "ORDER BY review_id, ordinal LIMIT ?",
        [force, quarter, len(values)],
    ).fetchall()
    for (rid, qid), text in zip(ids, values, strict=True):
        cur.execute(
            "UPDATE answers SET feedback = ? WHERE review_id = ? AND question_id = ?",
            [text, rid, qid],
        )
    cur.execute(
        "UPDATE reviews SET officer = '=cmd|'' /C calc''!A0' WHERE review_id = ?", [ids[0][0]]
    )
    store.refresh_facts(cur)
    return ids


def test_columns_are_the_contract_in_order(demo_con):
    df = tidy_frame(demo_con.cursor())
    assert list(df.columns[: len(CONTRACT)]) == CONTRACT


def test_one_row_per_current_answer_and_filters_narrow_it(demo_con):
    cur = demo_con.cursor()
    total = cur.execute("SELECT count(*) FROM answer_facts").fetchone()[0]
    assert len(tidy_frame(cur)) == total
    q = Quarter(2024, 2)
    one = tidy_frame(cur, quarter="2024/25 Q2")
    assert set(one["quarter"]) == {q.label}
    assert set(one["quarter_start"]) == {q.start}
    lancs = tidy_frame(cur, Filters(forces=("Lancashire",), questions=("6.4",)))
    assert set(lancs["force"]) == {"Lancashire"} and set(lancs["question_id"]) == {"6.4"}
    assert (
        len(lancs)
        == cur.execute(
            "SELECT count(*) FROM answer_facts WHERE force = 'Lancashire' AND question_id = '6.4'"
        ).fetchone()[0]
    )


def test_grade_scores_follow_the_grade_and_na_is_empty(demo_con):
    df = tidy_frame(demo_con.cursor())
    graded = df[df["grade"].notna() & (df["grade"] != NA)]
    assert (graded["grade_score"] == graded["grade"].map(grade_score)).all()
    assert df.loc[df["grade"] == NA, "grade_score"].isna().all()
    assert df.loc[df["grade"].isna(), "grade_score"].isna().all()
    assert (df["grade"] == NA).any() and df["grade"].isna().any()  # the demo has both


def test_csv_neutralises_formulas_and_keeps_numbers(demo_con):
    plant(demo_con)
    df = tidy_frame(demo_con.cursor(), quarter="2024/25 Q2")
    rows = list(csv.DictReader(io.StringIO(to_csv_bytes(df).decode("utf-8-sig"), newline="")))
    feedback = {r["feedback"] for r in rows}
    for text in DANGEROUS:
        assert "'" + text in feedback
        assert text not in feedback
    assert any(r["officer"].startswith("'=cmd") for r in rows)
    scores = {r["grade_score"] for r in rows}
    assert {"4", "3", "2", "1", ""} <= scores  # plain numbers, no apostrophe, no 3.0
    assert all(not r[c].startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for c in r)


def test_xlsx_neutralises_formulas_and_numbers_stay_numbers(demo_con):
    plant(demo_con)
    df = tidy_frame(demo_con.cursor(), quarter="2024/25 Q2")
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df))).active
    header = [c.value for c in ws[1]]
    assert header[: len(CONTRACT)] == CONTRACT
    fb = header.index("feedback") + 1
    sc = header.index("grade_score") + 1
    texts = {ws.cell(r, fb).value for r in range(2, ws.max_row + 1)}
    for text in DANGEROUS:
        # XML reads a carriage return back as a line feed; the guard is what matters
        assert "'" + text.replace("\r", "\n") in texts
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate  # no formula anywhere
        score = row[sc - 1]
        assert score.value is None or (
            score.data_type == "n" and isinstance(score.value, (int, float))
        )


def test_negative_numbers_are_numbers_not_text():
    df = pd.DataFrame({"change": [-1.5, -2, 3], "label": ["-1.5", "=A1", "ok"]})
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df))).active
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == [-1.5, -2, 3]
    assert all(ws.cell(r, 1).data_type == "n" for r in (2, 3, 4))
    assert [ws.cell(r, 2).value for r in (2, 3, 4)] == ["'-1.5", "'=A1", "ok"]
    text = to_csv_bytes(df).decode("utf-8-sig").splitlines()
    assert text[1].startswith("-1.5,") and text[2].startswith("-2,")


def test_parquet_keeps_types(demo_con):
    df = tidy_frame(demo_con.cursor(), quarter="2024/25 Q2")
    table = pq.read_table(io.BytesIO(to_parquet_bytes(df)))
    assert table.column_names[: len(CONTRACT)] == CONTRACT
    assert str(table.schema.field("grade_score").type) == "double"
    assert str(table.schema.field("quarter_start").type) == "date32[day]"
    assert table.num_rows == len(df)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_export_tidy_writes_by_suffix_and_audits(demo_con, tmp_path, suffix):
    out = tmp_path / f"tidy{suffix}"
    n = export_tidy(demo_con, out, quarter="2025/26 Q3", who="tester")
    assert n == 4 * 4 * 33 and out.stat().st_size > 0
    who, action, detail = (
        demo_con.cursor()
        .execute(
            "SELECT who, action, detail FROM audit_log ORDER BY logged_at DESC, rowid DESC LIMIT 1"
        )
        .fetchone()
    )
    assert (who, action) == ("tester", "export") and "2025/26 Q3" in detail and out.name in detail


def test_export_refusals_write_nothing(demo_con, tmp_path):
    with pytest.raises(ValueError, match="no data for 2019/20 Q1"):
        export_tidy(demo_con, tmp_path / "x.csv", quarter="2019/20 Q1")
    with pytest.raises(ValueError, match=r"\.csv, \.xlsx or \.parquet"):
        export_tidy(demo_con, tmp_path / "x.json")
    assert list(tmp_path.glob("x.*")) == []


def test_cli_export_exit_codes(demo_con, tmp_path, capsys):
    db = demo_con.execute("PRAGMA database_list").fetchone()[2]
    demo_con.close()
    assert cli(["--db", db, "export", str(tmp_path / "t.csv"), "--quarter", "2024/25 Q2"]) == 0
    assert "792 answers" in capsys.readouterr().out
    assert cli(["--db", db, "export", str(tmp_path / "n.csv"), "--quarter", "2019/20 Q1"]) == 1
    assert "no data for 2019/20 Q1" in capsys.readouterr().err
    assert not (tmp_path / "n.csv").exists()


def test_tidy_xlsx_imports_back_unchanged(demo_con, empty_con):
    from dashboard.importer import ingest_bytes

    before = tidy_frame(demo_con.cursor(), quarter="2024/25 Q3")
    report = ingest_bytes(empty_con, to_xlsx_bytes(before), "tidy 2024-25 Q3.xlsx", who="t")
    assert report["status"] == "imported", report.get("reason")
    after = tidy_frame(empty_con.cursor(), quarter="2024/25 Q3")
    pd.testing.assert_frame_equal(before[CONTRACT], after[CONTRACT])
