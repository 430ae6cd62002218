"""Runs of a Word document that a human reader cannot see: vanished, white on white, or tiny.
Contract text hidden this way is reported (guards), never silently read as the contract."""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

_TBL = qn("w:tbl")
_RPR, _VAL, _COLOR, _SHD, _SIZE = (qn(t) for t in ("w:rPr", "w:val", "w:color", "w:shd", "w:sz"))
_VANISH, _SPEC_VANISH, _WEB_HIDDEN = (qn(t) for t in ("w:vanish", "w:specVanish", "w:webHidden"))
_FILL, _TBL_STYLE = qn("w:fill"), qn("w:tblStyle")
_PROPS = {
    qn(tag): qn(props)
    for tag, props in (("w:r", "w:rPr"), ("w:p", "w:pPr"), ("w:tc", "w:tcPr"), ("w:tbl", "w:tblPr"))
}


def hidden_how(run: Any) -> str | None:
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
