"""DOCX text extraction: body paragraphs and tables in document order, one paragraph per line.

python-docx opens the package and resolves styles; the body is walked at XML level because
python-docx's own `Paragraph.text` skips content controls (w:sdt) and tracked insertions (w:ins),
both common in contract templates and redlines.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import docx
from docx.oxml.ns import qn

from core.documents.messages import size_vs_limit
from core.documents.model import Extracted, HiddenSpan
from core.documents.normalize import is_blank
from core.documents.numbering import Numbering
from core.documents.word_hidden import hidden_how
from core.documents.word_styles import style_chain
from core.errors import CorruptDocument, DocumentTooLarge, UnsupportedFileType
from core.settings import Settings

_MAX_UNPACKED = 200_000_000  # python-docx reads every part into memory
_MAX_MEMBERS = 10_000
_OTHER_ZIPS = (
    ("xl/workbook.xml", "an Excel workbook"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
    ("mimetype", "an OpenDocument file"),
)

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _R, _T = (qn(t) for t in ("w:p", "w:tbl", "w:tr", "w:tc", "w:r", "w:t"))
_SDT, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
# What a run's one-character elements read as.
_CHARS = {
    qn("w:tab"): "\t",
    qn("w:ptab"): "\t",
    qn("w:br"): "\n",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
}
_BOXES = {qn("w:drawing"), qn("w:pict"), f"{_MC}AlternateContent"}
# Elements whose children are shown as if they stood in their place. Deleted content
# (w:del, w:moveFrom) is absent on purpose: a redline's struck text is not the contract's text.
_WRAPPERS = {
    qn(t)
    for t in (
        "w:hyperlink",
        "w:smartTag",
        "w:customXml",
        "w:ins",
        "w:moveTo",
        "w:fldSimple",
        "w:dir",
        "w:bdo",
    )
}
_MAIN_PART = re.compile(r"word/document\d*\.xml$")
_HEADING_STYLE = re.compile(r"(?i)^(heading \d|title)$")
_OUTLINE_LEVELS = set("012345678")  # 9 means body text


def zip_members(data: bytes, name: str, settings: Settings) -> list[str]:
    """Member names of a zip, refusing zip bombs before anything is decompressed.

    Declared sizes can be trusted as a bound: Python's zipfile stops reading a member at its
    declared size, so a member that lies about its size cannot unpack to more.
    """
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise CorruptDocument(f"{name} is damaged; it could not be opened as a Word file") from None
    if len(infos) > _MAX_MEMBERS:
        raise DocumentTooLarge(f"{name} has {len(infos):,} parts; the limit is {_MAX_MEMBERS:,}")
    limit = min(20 * settings.max_bytes, _MAX_UNPACKED)
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limit:
        size, cap = size_vs_limit(unpacked, limit)
        raise DocumentTooLarge(f"{name} unpacks to {size}; the limit is {cap}")
    return [info.filename for info in infos]


def describe_other_zip(members: list[str]) -> str | None:
    """None for a Word document, else what the zip seems to be ("an Excel workbook")."""
    # The main part is normally word/document.xml; a few editors write word/document2.xml.
    if any(_MAIN_PART.match(member) for member in members):
        return None
    names = set(members)
    for marker, description in _OTHER_ZIPS:
        if marker in names:
            return description
    return "a zip archive"


def extract_docx(data: bytes, name: str) -> Extracted:
    """Call after `zip_members` has vetted the archive."""
    try:
        document = docx.Document(BytesIO(data))
    except ValueError:  # python-docx: the main part is not a plain document (.docm, .dotx)
        raise UnsupportedFileType(
            f"{name} is not a regular Word document (maybe a template or macro-enabled file); "
            "save it as .docx or PDF and upload it again"
        ) from None
    except Exception as exc:  # zip, XML and package errors of a broken file
        if "memory" in str(exc).lower():  # lxml reports failed allocations as XML errors
            raise MemoryError from None  # the sandbox reports it as over the memory limit
        raise _damaged(name) from None
    walker = walk_body(document, name)
    return Extracted("\n".join(walker.lines), heading_starts=walker.headings, hidden=walker.hidden)


def walk_body(document: Any, name: str, trace: list[Piece] | None = None) -> _Walker:
    """Read the body of an opened document; with `trace`, also where each piece of text sits in
    the XML (the redline writes its tracked changes there)."""
    try:
        walker = _Walker(_heading_style_ids(document), _numbering(document), trace)
        walker.blocks(document.element.body)
    except MemoryError:
        raise
    except Exception:  # malformed XML that python-docx parsed but cannot interpret
        raise _damaged(name) from None
    return walker


def _numbering(document: Any) -> Numbering:
    try:
        return Numbering(document)
    except Exception:  # a malformed list definition costs the numbers, not the document
        return Numbering(None)


def _damaged(name: str) -> CorruptDocument:
    return CorruptDocument(f"{name} is damaged; it could not be read as a Word file")


def _heading_style_ids(document: Any) -> set[str]:
    """Ids of paragraph styles named "Heading N"/"Title", or based on one (custom headings)."""
    return {
        style.style_id
        for style in document.styles
        if any(_HEADING_STYLE.match(s.name or "") for s in style_chain(style))
    }


@dataclass(frozen=True)
class Piece:
    """Raw text [start, end) that one XML element of a run gives (w:t, a tab, a break)."""

    start: int
    end: int
    node: Any
    run: Any


class _Walker:
    """Collects lines (raw text = lines joined by "\\n") and the raw offsets of heading lines."""

    def __init__(
        self, heading_ids: set[str], numbering: Numbering, trace: list[Piece] | None = None
    ) -> None:
        self.heading_ids = heading_ids
        self.numbering = numbering
        self.trace = trace
        self.lines: list[str] = []
        self.headings: list[int] = []
        self.hidden: list[HiddenSpan] = []  # raw offsets of runs a reader cannot see
        self.offset = 0

    def blocks(self, container: Any) -> None:
        for child in container:
            if child.tag == _P:
                self.paragraph(child)
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag == _SDT:
                self.blocks(_sdt_content(child))
            elif child.tag in _WRAPPERS:
                self.blocks(child)

    def paragraph(self, p: Any) -> None:
        parts: list[str] = []
        hidden: list[HiddenSpan] = []
        pieces: list[Piece] | None = [] if self.trace is not None else None
        _inline(p, parts, hidden, pieces)
        text = "".join(parts)
        # Word draws the number before the text; it is part of what the reader sees. An empty
        # numbered paragraph (often one that only carries a section break) is not counted.
        label = None if is_blank(text) else self.numbering.label(p)
        prefix = f"{label} " if label else ""
        text = prefix + text
        start = self.offset + len(prefix)  # where the runs' text begins in the raw text
        self.hidden.extend(HiddenSpan(start + h.start, start + h.end, h.how) for h in hidden)
        if self.trace is not None and pieces:
            self.trace.extend(Piece(start + x.start, start + x.end, x.node, x.run) for x in pieces)
        if not is_blank(text) and self._is_heading(p):
            self.headings.append(self.offset)
        self.lines.append(text)
        self.offset += len(text) + 1

    def table(self, tbl: Any) -> None:
        # Reading the XML cells directly, a horizontally merged cell appears once (python-docx's
        # row.cells repeats it per grid column); vertical-merge continuations are empty and skipped.
        for row in _children(tbl, _TR):
            for cell in _children(row, _TC):
                if not _continues_merge(cell):
                    self.blocks(cell)

    def _is_heading(self, p: Any) -> bool:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) in self.heading_ids:
            return True
        level = p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        return level is not None and level.get(qn("w:val"), "9") in _OUTLINE_LEVELS


def _inline(
    element: Any,
    out: list[str],
    hidden: list[HiddenSpan] | None = None,
    pieces: list[Piece] | None = None,
) -> None:
    for child in element:
        if child.tag == _R:
            how = hidden_how(child) if hidden is not None else None
            start = sum(map(len, out)) if how else 0
            _run(child, out, pieces)
            if how and hidden is not None:
                end = sum(map(len, out))
                if out and end > start and "".join(out)[start:end].strip():
                    hidden.append(HiddenSpan(start, end, how))
        elif child.tag == _SDT:
            _inline(_sdt_content(child), out, hidden, pieces)
        elif child.tag in _WRAPPERS:
            _inline(child, out, hidden, pieces)


def _run(run: Any, out: list[str], pieces: list[Piece] | None = None) -> None:
    for child in run:
        tag = child.tag
        text = _CHARS.get(tag, (child.text or "") if tag == _T else None)
        if text is not None:
            if pieces is not None:  # paragraph-relative offsets; the walker makes them raw
                at = sum(map(len, out))
                pieces.append(Piece(at, at + len(text), child, run))
            out.append(text)
        elif tag in _BOXES:
            _text_boxes(child, out)


def _text_boxes(element: Any, out: list[str]) -> None:
    """Text boxes anchored in a run, each of their paragraphs on its own line."""
    if element.tag == f"{_MC}AlternateContent":
        # Choice and Fallback hold the same box twice; read one of them.
        # (`find() or find()` would test an element's truth value, which lxml warns about.)
        chosen = element.find(f"{_MC}Choice")
        element = element.find(f"{_MC}Fallback") if chosen is None else chosen
        if element is None:
            return
    for box in element.iter(qn("w:txbxContent")):
        for p in box.iter(_P):
            out.append("\n")
            _inline(p, out)
        out.append("\n")


def _sdt_content(sdt: Any) -> Any:
    content = sdt.find(_SDT_CONTENT)
    return () if content is None else content


def _children(element: Any, tag: str) -> list[Any]:
    """Direct children with `tag`, looking through content-control and custom-XML wrappers."""
    found: list[Any] = []
    for child in element:
        if child.tag == tag:
            found.append(child)
        elif child.tag == _SDT:
            found.extend(_children(_sdt_content(child), tag))
        elif child.tag == qn("w:customXml"):
            found.extend(_children(child, tag))
    return found


def _continues_merge(cell: Any) -> bool:
    props = cell.find(qn("w:tcPr"))
    if props is None:
        return False
    for merge in (props.find(qn("w:vMerge")), props.find(qn("w:hMerge"))):
        if merge is not None and merge.get(qn("w:val"), "continue") != "restart":
            return True
    return False
