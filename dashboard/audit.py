"""Reading the audit log (DPA 2018 Part 3): who collected, altered, disclosed or erased what.

Writing is ``store.audit()``, inside the transaction of the change it records.
"""

from __future__ import annotations

import pandas as pd

# how the log's actions map to the Act's categories
DPA_CATEGORY: dict[str, str] = {
    "import": "collection",
    "replace": "alteration",
    "undo": "erasure",
    "export": "disclosure",
    "settings": "alteration",
    "questions": "alteration",
    "demo": "collection",
    "intervention": "alteration",
}


def audit_log(cur, limit: int = 500, actions: tuple[str, ...] = ()) -> pd.DataFrame:
    """The newest ``limit`` entries (optionally of some actions), newest first."""
    where, params = "TRUE", []
    if actions:
        where = "list_contains(?, action)"
        params.append(list(actions))
    df = cur.execute(
        f"SELECT logged_at, who, action, import_id, detail FROM audit_log WHERE {where} "
        "ORDER BY logged_at DESC, rowid DESC LIMIT ?",
        [*params, int(limit)],
    ).df()
    df.insert(3, "category", df["action"].map(DPA_CATEGORY).fillna("other"))
    return df


def audit_actions(cur) -> list[str]:
    return [
        r[0] for r in cur.execute("SELECT DISTINCT action FROM audit_log ORDER BY 1").fetchall()
    ]
