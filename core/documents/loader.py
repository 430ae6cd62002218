"""`read`: bytes and a file name in, a LoadedDocument out.

Checks the limits, works out what the file really is (the extension says what the user thinks it
is; the first bytes say what it is), hands it to the right reader and normalises the text.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from core.documents.messages import ACCEPTED, display_name, size_vs_limit
from core.documents.model import Extracted, HiddenSpan, LoadedDocument
from core.documents.normalize import is_blank, map_offsets, normalize
from core.documents.plain import extract_plain
from core.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    NoExtractableText,
    UnsupportedFileType,
)
from core.settings import Settings
from core.terms.blanks import template_warning

_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
}
SUPPORTED_EXTENSIONS = frozenset(_EXTENSIONS)
# Documents a user can re-save from their editor; worth a more helpful message than "unsupported".
_RESAVE = {".doc", ".dot", ".docm", ".dotx", ".rtf", ".odt", ".pages", ".wpd", ".wps"}
_REAL_NAME = {"pdf": "a PDF", "docx": "a Word document"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # a .docx is a zip archive
# An encrypted .docx is an OLE container with this stream (its name is stored in UTF-16LE).
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
)


def read(data: bytes, filename: str, settings: Settings) -> LoadedDocument:
    """Read a contract file in this process (`sandbox.load` runs this in a limited child);
    raises a DocumentError with a one-line, user-ready message."""
    name = display_name(filename)
    declared = _declared_format(name)
    if not data:
        raise EmptyDocument(f"{name} is empty (0 bytes)")
    if len(data) > settings.max_bytes:
        size, cap = size_vs_limit(len(data), settings.max_bytes)
        raise DocumentTooLarge(f"{name} is {size}; the limit is {cap}")
    fmt, extracted = _extract(data, name, declared, settings)
    if declared is not None and fmt in _REAL_NAME and fmt != declared:
        extracted.warnings.insert(0, f"{name} is really {_REAL_NAME[fmt]}")
    text, source_map = normalize(extracted.raw)
    if len(text) > settings.max_chars:
        raise DocumentTooLarge(
            f"{name} has {len(text):,} characters of text; the limit is {settings.max_chars:,}"
        )
    if template := template_warning(text):
        extracted.warnings.append(f"{name}: {template}")
    return LoadedDocument(
        name=filename,
        format=fmt,
        text=text,
        source_map=source_map,
        raw_text=extracted.raw,
        pages=extracted.pages,
        page_starts=map_offsets(source_map, extracted.page_starts),
        heading_offsets=map_offsets(source_map, extracted.heading_starts),
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=extracted.warnings,
        hidden_spans=_hidden_spans(extracted, source_map),
    )


def needs_a_parser(data: bytes) -> bool:
    """Whether `read` would hand these bytes to a third-party parser (pypdf, the zip and XML
    readers): the code a hostile file can exploit, which the sandbox isolates. Anything else is
    refused by its first bytes or decoded as plain text by our own linear code, within the
    upload size limit."""
    return b"%PDF-" in data[:1024] or data.startswith((*_ZIP, _OLE))


def _hidden_spans(extracted: Extracted, source_map: list[int]) -> list[HiddenSpan]:
    spans = []
    for span in extracted.hidden:
        start, end = map_offsets(source_map, [span.start, span.end])
        if end > start:
            spans.append(HiddenSpan(start, end, span.how))
    return spans


def _declared_format(name: str) -> str | None:
    """The format the extension promises; None without an extension (the content decides)."""
    ext = PurePosixPath(name).suffix.lower()
    if not ext:
        return None
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if ext in _RESAVE:
        raise UnsupportedFileType(
            f"{name} is a {ext} file, which cannot be read; save it as .docx or PDF "
            "and upload it again"
        )
    raise UnsupportedFileType(f"{name} is not a supported file type ({ext}); {ACCEPTED}")


def _extract(
    data: bytes, name: str, declared: str | None, settings: Settings
) -> tuple[str, Extracted]:
    """Dispatch on the real content: a mislabelled PDF or DOCX is still read as what it is."""
    if data.startswith(b"%PDF-") or (declared == "pdf" and b"%PDF-" in data[:1024]):
        # Imported here: pypdf and python-docx cost ~0.5 s to import, and a text file needs
        # neither (every command-line call and the dashboard's first page paid for them).
        from core.documents.pdf import extract_pdf

        return "pdf", extract_pdf(data, name, settings)
    if data.startswith(_ZIP):
        return "docx", _extract_docx(data, name, settings)
    if data.startswith(_OLE):
        if _OLE_ENCRYPTED in data:
            raise EncryptedDocument(
                f"{name} is password-protected; remove the password and upload it again"
            )
        raise UnsupportedFileType(
            f"{name} is a legacy Office file (like a Word .doc); save it as .docx or PDF "
            "and upload it again"
        )
    for magic, description in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedFileType(f"{name} is really {description}; {ACCEPTED}")
    if declared == "pdf":
        raise CorruptDocument(f"{name} is damaged or not a valid PDF; it could not be read")
    if declared == "docx":
        raise CorruptDocument(f"{name} is damaged or not a Word document; it could not be read")
    fmt = declared or "txt"
    extracted = extract_plain(data, name, markdown=fmt == "md")
    if is_blank(extracted.raw):
        raise EmptyDocument(f"{name} contains only blank space, no text")
    return fmt, extracted


def _extract_docx(data: bytes, name: str, settings: Settings) -> Extracted:
    from core.documents.word import describe_other_zip, extract_docx, zip_members

    members = zip_members(data, name, settings)
    other = describe_other_zip(members)
    if other is not None:
        raise UnsupportedFileType(f"{name} is {other}, not a Word document; {ACCEPTED}")
    extracted = extract_docx(data, name)
    if is_blank(extracted.raw):
        if any(member.startswith("word/media/") for member in members):
            raise NoExtractableText(f"{name} has no text, only images (scanned?); run OCR first")
        raise EmptyDocument(f"{name} contains no text")
    return extracted
