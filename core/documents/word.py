"""DOCX text extraction: body paragraphs and tables in document order, one paragraph per line.

python-docx opens the package and resolves styles; the body is walked at XML level because
python-docx's own `Paragraph.text` skips content controls (w:sdt) and tracked insertions (w:ins),
both common in contract templates and redlines.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import Any

import docx
from docx.oxml.ns import qn

from core.documents.messages import size_vs_limit
from core.documents.model import Extracted, HiddenSpan
from core.documents.normalize import is_blank
from core.documents.numbering import Numbering
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
_RPR, _VAL, _COLOR, _SHD, _SIZE = (qn(t) for t in ("w:rPr", "w:val", "w:color", "w:shd", "w:sz"))
_VANISH, _SPEC_VANISH, _WEB_HIDDEN = (qn(t) for t in ("w:vanish", "w:specVanish", "w:webHidden"))
_FILL, _TBL_STYLE = qn("w:fill"), qn("w:tblStyle")
_PROPS = {
    qn(tag): qn(props)
    for tag, props in (("w:r", "w:rPr"), ("w:p", "w:pPr"), ("w:tc", "w:tcPr"), ("w:tbl", "w:tblPr"))
}
_TABS = {qn("w:tab"), qn("w:ptab")}
_BREAKS = {qn("w:br"), qn("w:cr")}
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
    try:
        walker = _Walker(_heading_style_ids(document), _numbering(document))
        walker.blocks(document.element.body)
    except MemoryError:
        raise
    except Exception:  # malformed XML that python-docx parsed but cannot interpret
        raise _damaged(name) from None
    return Extracted("\n".join(walker.lines), heading_starts=walker.headings, hidden=walker.hidden)


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


class _Walker:
    """Collects lines (raw text = lines joined by "\\n") and the raw offsets of heading lines."""

    def __init__(self, heading_ids: set[str], numbering: Numbering) -> None:
        self.heading_ids = heading_ids
        self.numbering = numbering
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
        _inline(p, parts, hidden)
        text = "".join(parts)
        # Word draws the number before the text; it is part of what the reader sees. An empty
        # numbered paragraph (often one that only carries a section break) is not counted.
        label = None if is_blank(text) else self.numbering.label(p)
        prefix = f"{label} " if label else ""
        text = prefix + text
        start = self.offset + len(prefix)  # where the runs' text begins in the raw text
        self.hidden.extend(HiddenSpan(start + h.start, start + h.end, h.how) for h in hidden)
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


def _inline(element: Any, out: list[str], hidden: list[HiddenSpan] | None = None) -> None:
    for child in element:
        if child.tag == _R:
            how = _hidden_how(child) if hidden is not None else None
            start = sum(map(len, out)) if how else 0
            _run(child, out)
            if how and hidden is not None:
                end = sum(map(len, out))
                if out and end > start and "".join(out)[start:end].strip():
                    hidden.append(HiddenSpan(start, end, how))
        elif child.tag == _SDT:
            _inline(_sdt_content(child), out, hidden)
        elif child.tag in _WRAPPERS:
            _inline(child, out, hidden)


def _hidden_how(run: Any) -> str | None:
    """Why Word would not show this run to a reader, or None: vanished (hidden font), white
    text, or a font under 2 points. (A white run on a dark shading is not hidden.)"""
    props = run.find(_RPR)
    if props is None:
        return None
    for tag in (_VANISH, _SPEC_VANISH, _WEB_HIDDEN):
        flag = props.find(tag)
        if flag is not None and flag.get(_VAL, "true").lower() not in ("0", "false", "off"):
            return "hidden (vanished) run"
    color = props.find(_COLOR)
    if (
        color is not None
        and color.get(_VAL, "").upper() in ("FFFFFF", "FFFFFE", "FEFEFE")
        and not _on_coloured_ground(run)
    ):
        return "white text"
    size = props.find(_SIZE)
    if size is not None and size.get(_VAL, "").isdigit() and int(size.get(_VAL)) <= 3:
        return "text under 2 points"
    return None


def _run(run: Any, out: list[str]) -> None:
    for child in run:
        tag = child.tag
        if tag == _T:
            out.append(child.text or "")
        elif tag in _TABS:
            out.append("\t")
        elif tag in _BREAKS:
            out.append("\n")
        elif tag == qn("w:noBreakHyphen"):
            out.append("-")
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


def _on_coloured_ground(run: Any) -> bool:
    """True when the run, its paragraph or its table cell is shaded (white on blue is visible),
    or it sits in a styled table, whose style may shade it."""
    node = run
    while node is not None:
        tag = _PROPS.get(node.tag)
        props = node.find(tag) if tag else None
        shading = props.find(_SHD) if props is not None else None
        if shading is not None and shading.get(_FILL, "auto").upper() not in ("AUTO", "FFFFFF"):
            return True
        if node.tag == _TBL and props is not None and props.find(_TBL_STYLE) is not None:
            return True
        node = node.getparent()
    return False


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
