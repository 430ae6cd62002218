"""Pieces of user-facing messages: a safe display name, sizes and page lists in plain English.

Error messages are shown to users as-is and must stay on one line, so anything taken from the
upload (the file name) is cleaned here before it goes into a message.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

ACCEPTED = "upload a PDF, Word (.docx), text (.txt) or Markdown (.md) file"

# Control characters, line separators and the marks that reverse or isolate text direction
# ("invoice\u202efdp.exe" shows as "invoiceexe.pdf").
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
_MAX_NAME = 80


def _plain(text: str) -> str:
    return " ".join(_CONTROLS.sub(" ", text).split())


def clean_name(filename: str) -> str:
    """A file name as it is stored and printed: control characters (a NUL, terminal escape
    codes, line breaks) and text-direction marks become spaces, so no name can break a page,
    colour a terminal or disguise its extension. "document" when nothing is left."""
    return _plain(filename) or "document"


def display_name(filename: str) -> str:
    """The file name as shown in messages: no directories, no line breaks, not too long."""
    # Browsers on Windows may send "C:\\Users\\x\\contract.pdf"; show only the last part.
    name = _plain(PurePosixPath(filename.replace("\\", "/")).name)
    if not name:
        return "the file"
    if len(name) > _MAX_NAME:
        name = f"{name[:60]}…{name[-15:]}"
    return name


def size_text(n_bytes: int) -> str:
    """Decimal units, as file managers show them: 31.2 MB, 20 MB, 512 KB, 900 bytes."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n_bytes} bytes"


def size_vs_limit(n_bytes: int, limit: int) -> tuple[str, str]:
    """Both sizes, precise enough that the first never reads as equal to the second."""
    size, cap = size_text(n_bytes), size_text(limit)
    if size == cap:
        return f"{n_bytes:,} bytes", f"{limit:,} bytes"
    return size, cap


def page_list(pages: list[int]) -> str:
    """[1, 3, 4, 5] -> "pages 1, 3-5"; [2] -> "page 2"."""
    ranges: list[str] = []
    start = prev = pages[0]
    for page in [*pages[1:], None]:
        if page is not None and page == prev + 1:
            prev = page
            continue
        ranges.append(str(start) if start == prev else f"{start}-{prev}")
        if page is not None:
            start = prev = page
    label = "page" if len(pages) == 1 else "pages"
    return f"{label} {', '.join(ranges)}"
