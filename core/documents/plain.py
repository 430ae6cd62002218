"""Plain text and Markdown: decoding the bytes, refusing binary data, finding "#" headings."""

from __future__ import annotations

import codecs
import re

from core.documents.messages import ACCEPTED
from core.documents.model import Extracted
from core.errors import CorruptDocument, UnsupportedFileType

# C0 controls other than tab, LF, VT, FF, CR, plus DEL: rare in real text, common in binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# ATX headings per CommonMark: up to 3 spaces, 1-6 "#", a space, then some text.
_MD_HEADING = re.compile(r" {0,3}#{1,6}[ \t]+\S")
_MD_FENCE = re.compile(r" {0,3}(```|~~~)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def extract_plain(data: bytes, name: str, markdown: bool) -> Extracted:
    raw, warnings = decode_text(data, name)
    headings = markdown_headings(raw) if markdown else []
    return Extracted(raw, heading_starts=headings, warnings=warnings)


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 (BOM optional) or UTF-16 with a BOM; Windows-1252 as a fallback for legacy files."""
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), name), []
            except UnicodeDecodeError:
                raise CorruptDocument(f"{name} is damaged: it is not valid {label} text") from None
    if b"\x00" in data:
        raise _binary(name)
    try:
        return _checked(data.decode("utf-8"), name), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes 81, 8D, 8F, 90, 9D are undefined in Windows-1252
        raise CorruptDocument(
            f"{name} is not UTF-8 or Windows-1252 text; save it as UTF-8 and upload it again"
        ) from None
    return _checked(text, name), [f"{name} is not UTF-8; it was read as Windows-1252"]


def _checked(text: str, name: str) -> str:
    if "\x00" in text or len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise _binary(name)
    return text


def _binary(name: str) -> UnsupportedFileType:
    return UnsupportedFileType(f"{name} is not a text file (it contains binary data); {ACCEPTED}")


def markdown_headings(raw: str) -> list[int]:
    """Raw offsets of ATX ("# Title") heading lines, ignoring lines inside fenced code blocks."""
    starts: list[int] = []
    fence: str | None = None
    for match in _LINE.finditer(raw):
        line = match.group()
        opener = _MD_FENCE.match(line)
        if opener:
            if fence is None:
                fence = opener.group(1)
            elif opener.group(1) == fence:
                fence = None
        elif fence is None and _MD_HEADING.match(line):
            starts.append(match.start())
        if match.end() == len(raw):
            break
    return starts
