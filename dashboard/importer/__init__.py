"""The workbook importer: bytes in, an ImportPlan (records + report) out; no Streamlit.

plan = read_workbook(data, "Q2.xlsx", con)      # safety checks, layout, records; no writes
plan_effects(con, plan)                          # duplicate of an earlier import? replaces what?
commit_plan(con, plan, who="jo")                 # one transaction; the contract's ingest JSON
ingest_bytes(con, data, "Q2.xlsx", who="jo")     # all of the above in one call
undo_import(con, import_id, who="jo"); import_history(con)
"""

from __future__ import annotations

from dashboard.importer.commit import (
    commit_plan,
    import_history,
    import_report,
    plan_effects,
    undo_import,
)
from dashboard.importer.model import ImportPlan, Issue
from dashboard.importer.read import read_workbook

__all__ = [
    "ImportPlan",
    "Issue",
    "commit_plan",
    "import_history",
    "import_report",
    "ingest_bytes",
    "plan_effects",
    "read_workbook",
    "undo_import",
]


def ingest_bytes(
    con,
    data: bytes,
    file_name: str,
    *,
    quarter: str | None = None,
    who: str = "unknown",
    dry_run: bool = False,
    is_demo: bool = False,
) -> dict:
    """Validate and (unless ``dry_run``) import one workbook; the contract's ingest JSON.

    ``status`` is ``imported``, ``duplicate``, ``rejected`` or ``dry-run``; a dry run also
    says what an import would do (``duplicate_of``, ``replaces``).
    """
    plan = read_workbook(data, file_name, con, quarter=quarter)
    if plan.status == "rejected":
        out = plan.to_json("rejected")
        out.update(import_id=None, replaced=[], duplicate_of=None)
        return out
    if dry_run:
        out = plan.to_json("dry-run")
        effects = plan_effects(con, plan)
        out.update(
            import_id=None, replaced=effects["replaces"], duplicate_of=effects["duplicate_of"]
        )
        return out
    return commit_plan(con, plan, who, is_demo=is_demo)
