"""The result of loading a document, and the raw extraction each format reader hands back."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LoadedDocument:
    name: str  # the file name given
    format: str  # "pdf" | "docx" | "txt" | "md": what the content really is
    text: str  # normalised text
    # len(text) + 1 entries: source_map[i] is the index in raw_text of text[i]; last = len(raw)
    source_map: list[int]
    raw_text: str  # the extracted text before normalisation
    pages: int | None  # PDF page count, else None
    page_starts: list[int]  # PDF: offset in `text` where page n starts (index n-1); else []
    heading_offsets: list[int]  # offsets in `text` of lines the source marks as headings
    sha256: str  # of the input bytes
    warnings: list[str] = field(default_factory=list)
    # Text the file hides from a human reader (white, tiny or vanished runs; invisible PDF text)
    hidden_spans: list[HiddenSpan] = field(default_factory=list)


@dataclass(frozen=True)
class HiddenSpan:
    start: int  # offsets in `text` (in Extracted: offsets in the raw text)
    end: int
    how: str  # "white text", "vanished run", "invisible render mode", ...


@dataclass
class Extracted:
    """What a format reader found, in raw-text coordinates."""

    raw: str
    page_starts: list[int] = field(default_factory=list)  # raw offsets
    heading_starts: list[int] = field(default_factory=list)  # raw offsets
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    hidden: list[HiddenSpan] = field(default_factory=list)  # raw offsets
