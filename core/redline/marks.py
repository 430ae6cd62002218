"""Tracked changes and comment anchors in WordprocessingML, written with python-docx's XML.

Text is cut out of runs at exact character offsets (the runs are split, formatting copied), the
cut runs are wrapped in `w:del`, and new text goes in a `w:ins` run with the formatting of the
text it replaces. Rejecting every change gives the original text back: nothing is rewritten.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from core.documents.word import Piece

_T, _R, _RPR = qn("w:t"), qn("w:r"), qn("w:rPr")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_DELETED_TAGS = {_T: qn("w:delText"), qn("w:instrText"): qn("w:delInstrText")}


@dataclass
class Revision:
    """Who makes the changes and when; hands out the ids Word requires to be unique."""

    author: str
    date: str  # ISO 8601, UTC, e.g. 2026-12-04T05:00:00Z
    next_id: int

    def attrs(self) -> dict[str, str]:
        self.next_id += 1
        return {qn("w:id"): str(self.next_id), qn("w:author"): self.author, qn("w:date"): self.date}


def first_free_id(root: Any) -> int:
    """Above every numeric w:id already in the part (revisions, bookmarks, comments)."""
    ids = [int(v) for v in root.xpath("//@w:id") if str(v).isdigit()]
    return max(ids, default=0) + 1


def cut_runs(pieces: list[Piece], start: int, end: int) -> list[Any]:
    """The runs holding exactly raw text [start, end), in document order, splitting runs (and
    their w:t) at the two ends. `pieces` (document order) is updated for the split text, so
    later cuts elsewhere in the same runs still find their text."""
    inside: list[Any] = []
    for piece in list(pieces):
        if piece.end <= start or piece.start >= end:
            continue
        if piece.node.tag == _T and (piece.start < start or piece.end > end):
            parts = _split_text(piece, max(start, piece.start), min(end, piece.end))
            at = pieces.index(piece)
            pieces[at : at + 1] = parts
            inside.append(next(p.node for p in parts if p.start == max(start, piece.start)))
        else:
            inside.append(piece.node)
    return [_isolate(run, nodes) for run, nodes in _by_run(inside)]


def _split_text(piece: Piece, a: int, b: int) -> list[Piece]:
    """Split the w:t of `piece` at raw offsets a and b into up to three w:t; their pieces."""
    node = piece.node
    text = node.text or ""
    cuts = [piece.start, a, b, piece.end]
    parts: list[Piece] = []
    for lo, hi in itertools.pairwise(cuts):
        if hi > lo:
            part = _text_node(text[lo - piece.start : hi - piece.start])
            node.addprevious(part)
            parts.append(Piece(lo, hi, part, piece.run))
    node.getparent().remove(node)
    return parts


def _text_node(text: str) -> Any:
    t = OxmlElement("w:t")
    t.text = text
    t.set(_SPACE, "preserve")
    return t


def _by_run(nodes: list[Any]) -> Iterator[tuple[Any, list[Any]]]:
    group: list[Any] = []
    for node in nodes:
        if group and node.getparent() is not group[0].getparent():
            yield group[0].getparent(), group
            group = []
        group.append(node)
    if group:
        yield group[0].getparent(), group


def _isolate(run: Any, nodes: list[Any]) -> Any:
    """Move what comes before the first and after the last of `nodes` into runs of their own,
    with the same formatting, so `run` holds only the cut text."""
    children = [c for c in run if c.tag != _RPR]
    first, last = children.index(nodes[0]), children.index(nodes[-1])
    before, after = children[:first], children[last + 1 :]
    if before:
        run.addprevious(_run_like(run, before))
    if after:
        run.addnext(_run_like(run, after))
    return run


def _run_like(run: Any, children: list[Any]) -> Any:
    new = OxmlElement("w:r")
    for name, value in run.attrib.items():
        new.set(name, value)
    props = run.find(_RPR)
    if props is not None:
        new.append(copy.deepcopy(props))
    for child in children:
        new.append(child)  # moves it
    return new


def delete(runs: list[Any], rev: Revision) -> list[Any]:
    """Wrap the runs in tracked deletions, one w:del per stretch of neighbouring runs (a quote
    within one paragraph is one change); returns the w:del elements in document order."""
    wrappers: list[Any] = []
    for run in runs:
        last = wrappers[-1] if wrappers else None
        if last is not None and last.getnext() is run:
            last.append(run)
        else:
            wrapper = OxmlElement("w:del", attrs=rev.attrs())
            run.addprevious(wrapper)
            wrapper.append(run)
            wrappers.append(wrapper)
        for node in run.iter(*_DELETED_TAGS):
            node.tag = _DELETED_TAGS[node.tag]
    return wrappers


def insertion(text: str, rev: Revision, like: Any | None = None) -> Any:
    """A w:ins holding one run of `text` (line breaks as w:br), formatted like run `like`."""
    wrapper = OxmlElement("w:ins", attrs=rev.attrs())
    run = OxmlElement("w:r")
    props = like.find(_RPR) if like is not None else None
    if props is not None:
        run.append(copy.deepcopy(props))
    for n, line in enumerate(text.split("\n")):
        if n:
            run.append(OxmlElement("w:br"))
        run.append(_text_node(line))
    wrapper.append(run)
    return wrapper


def inserted_paragraph(text: str, rev: Revision) -> Any:
    """A new paragraph whose text and paragraph mark are both tracked insertions."""
    p = OxmlElement("w:p")
    props = OxmlElement("w:pPr")
    mark = OxmlElement("w:rPr")
    mark.append(OxmlElement("w:ins", attrs=rev.attrs()))
    props.append(mark)
    p.append(props)
    p.append(insertion(text, rev))
    return p


def anchor_comment(first: Any, last: Any, comment_id: int) -> None:
    """Mark first..last (inline elements) as the range of comment `comment_id`."""
    first.addprevious(OxmlElement("w:commentRangeStart", attrs={qn("w:id"): str(comment_id)}))
    reference = OxmlElement("w:r")
    reference.append(OxmlElement("w:commentReference", attrs={qn("w:id"): str(comment_id)}))
    last.addnext(reference)
    last.addnext(OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): str(comment_id)}))
