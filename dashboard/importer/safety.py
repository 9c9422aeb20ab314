"""Checks on the raw bytes before any spreadsheet parser sees them.

Each check returns a one-line reason a coordinator understands, or None when the file may
be opened. Nothing here decompresses more than a few kilobytes of any member.
"""

from __future__ import annotations

import io
import re
import zipfile

from dashboard.settings import Settings

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_RATIO_MIN_BYTES = 1_000_000  # small XML parts compress very well; judge ratios on big parts only


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.decode("ascii"):
        n = n * 26 + (ord(ch) - 64)
    return n


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if not head:
        return False
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True


def check_bytes(data: bytes, file_name: str, settings: Settings | None = None) -> str | None:
    """Why this file must be refused, in one line; None when it is safe to parse."""
    s = settings or Settings()
    name = file_name or "the file"
    size_mb = len(data) / 1_000_000
    if not data:
        return f"{name} is empty"
    if size_mb > s.max_upload_mb:
        return f"{name} is {size_mb:.1f} MB, over the {s.max_upload_mb} MB limit"
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data:
            return (
                f"{name} is password-protected (encrypted): remove the password in Excel "
                "and save it as .xlsx"
            )
        return f"{name} is an old Excel .xls file (or an encrypted workbook): save it as .xlsx"
    if not data.startswith(b"PK"):
        head = data[:512].lstrip().lower()
        if head.startswith((b"<html", b"<!doctype html", b"<table")):
            return f"{name} is a web page saved with a spreadsheet name, not an .xlsx workbook"
        if head.startswith(b"<?xml"):
            return f"{name} is an XML spreadsheet (Excel 2003), not an .xlsx workbook: save it as .xlsx"
        if _looks_like_text(data):
            return f"{name} is a text/CSV file, not an .xlsx workbook: open it in Excel and save as .xlsx"
        return f"{name} is not an .xlsx workbook"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return f"{name} is damaged or incomplete (not a readable .xlsx): send it again"
    with zf:
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names:
            return f"{name} is a zip file but not an Excel workbook"
        if "xl/workbook.bin" in names:
            return f"{name} is a binary workbook (.xlsb): save it as .xlsx"
        if "xl/workbook.xml" not in names:
            return f"{name} is a zip file but not an Excel workbook"
        if any(n.lower().endswith("vbaproject.bin") for n in names) or file_name.lower().endswith(
            (".xlsm", ".xltm", ".xlam")
        ):
            return (
                f"{name} contains macros (.xlsm): save it as a plain .xlsx workbook without macros"
            )
        try:
            ctypes = _read_head(zf, "[Content_Types].xml", 65536)
        except Exception:  # noqa: BLE001
            return f"{name} is damaged or incomplete (not a readable .xlsx): send it again"
        if b"macroenabled" in ctypes.lower():
            return (
                f"{name} contains macros (.xlsm): save it as a plain .xlsx workbook without macros"
            )
        total = sum(i.file_size for i in infos)
        if total > s.max_uncompressed_mb * 1_000_000:
            return (
                f"{name} would expand to {total / 1_000_000:.0f} MB, over the "
                f"{s.max_uncompressed_mb} MB limit (possible zip bomb)"
            )
        for i in infos:
            if i.file_size >= _RATIO_MIN_BYTES:
                ratio = i.file_size / max(i.compress_size, 1)
                if ratio > s.max_compression_ratio:
                    return (
                        f"{name} has a part compressed {ratio:.0f}:1, over the "
                        f"{s.max_compression_ratio}:1 limit (possible zip bomb)"
                    )
        for i in infos:
            if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"):
                try:
                    head = _read_head(zf, i.filename, 4096)
                except Exception:  # noqa: BLE001
                    return f"{name} is damaged or incomplete (not a readable .xlsx): send it again"
                m = _DIMENSION.search(head)
                if m and m.group(3):
                    rows = int(m.group(4)) - int(m.group(2)) + 1
                    cols = _col_number(m.group(3)) - _col_number(m.group(1)) + 1
                    if rows * cols > s.max_cells:
                        return (
                            f"{name} has a sheet of {rows:,} rows x {cols:,} columns, over the "
                            f"{s.max_cells:,}-cell limit"
                        )
    return None


def _read_head(zf: zipfile.ZipFile, member: str, n: int) -> bytes:
    with zf.open(member) as fh:
        return fh.read(n)
