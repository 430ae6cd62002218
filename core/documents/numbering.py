"""Word's automatic numbering, rendered as a reader sees it: "5.2", "(a)", "(iii)".

Numbers that Word draws from list definitions are not in the paragraph's text, so without them a
contract's "5.2 Termination" reads as "Termination" and its "(a)" items as loose sentences. A
paragraph is numbered by its own `w:numPr` or by its style's (headings linked to a multilevel
list); `numbering.xml` maps the list instance to an abstract definition whose levels give the
start value, the number format and the label pattern ("%1.%2", "(%3)"). Counters run per list
instance in document order; a level resets when a level above it advances. Bullets and picture
numbering are skipped: they carry no number a reviewer would cite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from core.documents.word_styles import style_chain

_VAL = qn("w:val")
_PPR, _NUMPR, _ILVL, _NUMID = (qn(t) for t in ("w:pPr", "w:numPr", "w:ilvl", "w:numId"))
_MAX_LEVELS = 9
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str  # decimal, lowerLetter, upperRoman, bullet, ...
    text: str  # the label pattern: "%1.%2", "(%3)"
    legal: bool  # w:isLgl: every number at this level is written in decimal


class Numbering:
    """Label for each numbered paragraph, fed in document order."""

    def __init__(self, document: Any) -> None:
        self._levels: dict[str, dict[int, _Level]] = {}  # numId -> ilvl -> level
        self._styles: dict[str, tuple[str, int | None]] = {}  # styleId -> (numId, ilvl)
        self._style_levels: dict[tuple[str, str], int] = {}  # (numId, styleId) -> linked ilvl
        self._counters: dict[str, list[int | None]] = {}
        root = _numbering_root(document)
        if root is not None:
            self._read_definitions(root)
            self._read_styles(document)

    def label(self, p: Any) -> str | None:
        """The number Word shows before paragraph `p` ("5.2", "(a)"), or None."""
        found = self._num_pr(p)
        if found is None:
            return None
        num_id, ilvl = found
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels:
            return None
        counters = self._counters.setdefault(num_id, [None] * _MAX_LEVELS)
        current = counters[ilvl]
        counters[ilvl] = levels[ilvl].start if current is None else current + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            counters[deeper] = None
        level = levels[ilvl]
        if level.fmt in ("bullet", "none") or not level.text:
            return None
        return _render(level, levels, counters).strip() or None

    def _num_pr(self, p: Any) -> tuple[str, int] | None:
        props = p.find(_PPR)
        own = props.find(_NUMPR) if props is not None else None  # the paragraph's own list
        style_id = _child_val(props, qn("w:pStyle")) or ""
        num_id, ilvl = _child_val(own, _NUMID), _int(_child_val(own, _ILVL))
        style = self._styles.get(style_id)  # else its style's list
        if style is not None and num_id in (None, style[0]):
            num_id, ilvl = style[0], style[1] if ilvl is None else ilvl
        if num_id is None or num_id == "0":
            return None
        if ilvl is None:  # the level linked to the paragraph's style, else the first
            ilvl = self._style_levels.get((num_id, style_id), 0)
        return (num_id, ilvl) if 0 <= ilvl < _MAX_LEVELS else None

    def _read_definitions(self, root: Any) -> None:
        abstract: dict[str, dict[int, _Level]] = {}
        linked: dict[str, list[tuple[str, int]]] = {}  # abstractNumId -> (styleId, ilvl)
        for node in root.iterfind(qn("w:abstractNum")):
            key = node.get(qn("w:abstractNumId"))
            levels: dict[int, _Level] = {}
            for lvl in node.iterfind(qn("w:lvl")):
                ilvl = _int(lvl.get(qn("w:ilvl")))
                if ilvl is None or not 0 <= ilvl < _MAX_LEVELS:
                    continue
                levels[ilvl] = _level(lvl)
                style = _child_val(lvl, qn("w:pStyle"))
                if style:
                    linked.setdefault(key, []).append((style, ilvl))
            abstract[key] = levels
        for num in root.iterfind(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            base = _child_val(num, qn("w:abstractNumId"))
            if num_id is None or base not in abstract:
                continue
            levels = dict(abstract[base])
            for override in num.iterfind(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")))
                if ilvl is None or ilvl not in levels:
                    continue
                redefined = override.find(qn("w:lvl"))
                start = _int(_child_val(override, qn("w:startOverride")))
                if redefined is not None:
                    levels[ilvl] = _level(redefined)
                elif start is not None:
                    old = levels[ilvl]
                    levels[ilvl] = _Level(start, old.fmt, old.text, old.legal)
            self._levels[num_id] = levels
            for style, ilvl in linked.get(base, []):
                self._style_levels[(num_id, style)] = ilvl

    def _read_styles(self, document: Any) -> None:
        for style in document.styles:
            for base in style_chain(style):  # a style inherits its base style's list
                props = base.element.find(_PPR)
                num_pr = props.find(_NUMPR) if props is not None else None
                if num_pr is not None:
                    num_id = _child_val(num_pr, _NUMID)
                    if num_id is not None and style.style_id:
                        self._styles[style.style_id] = (num_id, _int(_child_val(num_pr, _ILVL)))
                    break


def _numbering_root(document: Any) -> Any:
    try:
        return document.part.part_related_by(RT.NUMBERING).element
    except (KeyError, AttributeError):  # no numbering part: nothing is auto-numbered
        return None


def _child_val(node: Any, tag: str) -> str | None:
    child = node.find(tag) if node is not None else None
    return child.get(_VAL) if child is not None else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _level(lvl: Any) -> _Level:
    start = _int(_child_val(lvl, qn("w:start")))
    legal = lvl.find(qn("w:isLgl"))
    return _Level(
        start=1 if start is None else start,
        fmt=_child_val(lvl, qn("w:numFmt")) or "decimal",
        text=_child_val(lvl, qn("w:lvlText")) or "",
        legal=legal is not None and legal.get(_VAL, "true").lower() not in ("0", "false", "off"),
    )


def _render(level: _Level, levels: dict[int, _Level], counters: list[int | None]) -> str:
    out: list[str] = []
    i = 0
    text = level.text
    while i < len(text):
        if text[i] == "%" and i + 1 < len(text) and text[i + 1] in "123456789":
            ref = int(text[i + 1]) - 1
            ref_level = levels.get(ref)
            value = counters[ref]
            if value is None:  # a level above never used: Word shows its start value
                value = ref_level.start if ref_level else 1
            fmt = "decimal" if level.legal or ref_level is None else ref_level.fmt
            out.append(_format(value, fmt))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter") and value > 0:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < value < 4000:
        roman = _roman(value)
        return roman if fmt == "lowerRoman" else roman.upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)  # decimal and the formats we do not spell out (ordinal, cardinal, ...)


def _roman(value: int) -> str:
    out = []
    for number, letters in _ROMAN:
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)
