"""The command line (contract.md): ``python -m dashboard COMMAND ...``.

Exit codes: 0 success, 1 the input was refused or a check failed, 2 usage error.
Nothing is written to the database by a command that exits non-zero.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        sys.exit(2)


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m dashboard", description="ARMS peer review dashboard")
    parser.add_argument("--db", help="database file (default: $ARMS_DB, else data/arms.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("ingest", help="validate and import workbooks; one report per file")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--quarter", help="the quarter, e.g. '2024/25 Q2' (else detected)")
    p.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    p.add_argument("--json", action="store_true", help="print the reports as JSON")

    p = sub.add_parser("questions", help="the active question set; --import FILE adds a version")
    p.add_argument("--import", dest="import_file", metavar="FILE", help="CSV or XLSX question set")
    p.add_argument("--name", help="a name for the imported version")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="tidy table, collated regional workbook or blank template")
    p.add_argument("out", metavar="OUT")
    p.add_argument("--format", choices=["tidy", "regional", "template"], default="tidy")
    p.add_argument("--quarter", help="the quarter, e.g. '2024/25 Q2'")
    p.add_argument("--force", help="template: the force under review")

    p = sub.add_parser("report", help="repeat failures and training needs")
    p.add_argument("kind", choices=["repeat-failures", "training-needs"])
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("demo", help="rebuild the database from the bundled demo workbooks")
    p.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from dashboard import store

    db = args.db or None
    handler = {
        "ingest": _ingest,
        "questions": _questions,
        "export": _export,
        "report": _report,
        "demo": _demo,
    }[args.command]
    return handler(args, db, store)


def _print_json(obj) -> None:
    print(json.dumps(obj, indent=2, default=str, ensure_ascii=False))


def _ingest(args, db, store) -> int:
    from dashboard.importer import commit_plan, plan_effects, read_workbook
    from dashboard.importer.model import rejected
    from dashboard.importer.read import sha256_of
    from dashboard.vocab import parse_quarter

    if args.quarter and parse_quarter(args.quarter) is None:
        print(
            f"error: --quarter {args.quarter!r} is not a quarter like '2024/25 Q2'", file=sys.stderr
        )
        return 2
    con = store.connect(db)
    # read every file first: if any is refused, nothing at all is written (exit 1)
    plans = []
    for f in args.files:
        path = Path(f)
        if not path.is_file():
            plans.append(rejected(str(path), "", f"{f}: no such file"))
        else:
            data = path.read_bytes()
            plan = read_workbook(data, path.name, con, quarter=args.quarter)
            plan.sha256 = plan.sha256 or sha256_of(data)
            plans.append(plan)
    failed = any(p.status == "rejected" for p in plans)
    reports = []
    for plan in plans:
        if plan.status == "rejected":
            report = plan.to_json("rejected")
        elif args.dry_run or failed:
            report = plan.to_json("dry-run")
            effects = plan_effects(con, plan)
            report.update(duplicate_of=effects["duplicate_of"], replaced=effects["replaces"])
            if failed and not args.dry_run:
                report["reason"] = "not imported: another file in this batch was refused"
        else:
            report = commit_plan(con, plan, _who())
        reports.append(report)
    if args.json:
        _print_json(reports)
    else:
        for r in reports:
            print(_report_line(r))
            for w in r.get("warnings", [])[:50]:
                where = " ".join(x for x in (w.get("sheet"), w.get("cell")) if x)
                print(f"  warning {where}: {w['message']}")
    return 1 if failed else 0


def _report_line(r: dict) -> str:
    if r["status"] == "rejected":
        return f"{r['file']}: refused - {r.get('reason')}"
    if r["status"] == "duplicate" or r.get("reason"):
        return f"{r['file']}: {r['status']} - {r.get('reason')}"
    c = r.get("counts", {})
    return (
        f"{r['file']}: {r['status']} - {r.get('quarter') or 'quarter unknown'}, "
        f"{c.get('reviews', 0)} reviews, {c.get('answers', 0)} answers, "
        f"{len(r.get('warnings', []))} warnings"
    )


def _questions(args, db, store) -> int:
    from dashboard import questions

    con = store.connect(db)
    if args.import_file:
        path = Path(args.import_file)
        if not path.is_file():
            print(f"error: {path}: no such file", file=sys.stderr)
            return 1
        try:
            version = questions.import_question_set(
                con, path.read_bytes(), path.name, _who(), args.name
            )
        except questions.QuestionSetError as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return 1
        if not args.json:
            print(f"question set version {version} imported and active")
    qs = questions.load_questions(con)
    if args.json:
        _print_json([{"id": q.question_id, "section": q.section, "text": q.text} for q in qs])
    else:
        for q in qs:
            print(f"{q.question_id}\t{q.section}\t{q.text}")
    return 0


def _export(args, db, store) -> int:
    from dashboard.vocab import parse_quarter

    quarter = None
    if args.quarter:
        quarter = parse_quarter(args.quarter)
        if quarter is None:
            print(
                f"error: --quarter {args.quarter!r} is not a quarter like '2024/25 Q2'",
                file=sys.stderr,
            )
            return 2
    con = store.connect(db)
    out = Path(args.out)
    try:
        if args.format == "tidy":
            from dashboard.exports.tidy import export_tidy

            n = export_tidy(con, out, quarter=quarter, who=_who())
            print(f"{out}: {n} answers")
        elif args.format == "regional":
            from dashboard.exports.regional import export_regional

            n = export_regional(con, out, quarter=quarter, who=_who())
            print(f"{out}: regional workbook, {n} reviews")
        else:
            from dashboard.exports.template import export_template

            export_template(con, out, quarter=quarter, force=args.force, who=_who())
            print(f"{out}: blank review template")
    except ValueError as exc:  # refused: e.g. no data for that quarter, unknown force
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    return 0


def _report(args, db, store) -> int:
    from analysis.reports import repeat_failures_report, training_needs_report
    from dashboard.settings import load_settings

    con = store.connect(db)
    settings = load_settings(con)
    if args.kind == "repeat-failures":
        rows = repeat_failures_report(con.cursor(), settings)
    else:
        rows = training_needs_report(con.cursor(), settings)
    if args.json:
        _print_json(rows)
    else:
        if not rows:
            print("none")
        for r in rows:
            print(
                "\t".join(
                    str(v) if not isinstance(v, list) else ", ".join(map(str, v))
                    for v in r.values()
                )
            )
    return 0


def _demo(args, db, store) -> int:
    from dashboard.demo import rebuild_demo

    reports = rebuild_demo(db)
    if args.json:
        _print_json(reports)
    else:
        for r in reports:
            print(_report_line(r))
    return 1 if any(r["status"] == "rejected" for r in reports) else 0
