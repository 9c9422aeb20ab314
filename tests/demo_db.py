"""The demo database, built once per test process through the real importer, and copied
per test so a test that writes (an export's audit entry) cannot disturb another."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def built_demo() -> tuple[Path, tuple[dict, ...]]:
    from dashboard.demo import rebuild_demo

    folder = tempfile.mkdtemp(prefix="arms-demo-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = Path(folder) / "demo.duckdb"
    reports = rebuild_demo(path)
    return path, tuple(reports)


def demo_copy(dest_dir: Path) -> Path:
    src, _ = built_demo()
    dest = Path(dest_dir) / "demo.duckdb"
    shutil.copyfile(src, dest)
    return dest
