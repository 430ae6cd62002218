"""Sentence spans inside a stretch of contract text, aware of legal abbreviations and numbering."""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    [
        "inc",
        "ltd",
        "llc",
        "llp",
        "co",
        "corp",
        "no",
        "nos",
        "sec",
        "secs",
        "art",
        "arts",
        "para",
        "paras",
        "cl",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "v",
        "u.s",
        "u.k",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "p",
        "pp",
        "fig",
        "approx",
        "dept",
        "est",
        "ex",
        "exh",
        "sch",
        "attn",
        "govt",
        "intl",
        "assn",
        "bros",
        "n.a",
        "s.a",
        "b.v",
        "n.v",
        "a.g",
        "gmbh",
        "plc",
        "pty",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
# A candidate end: terminal punctuation (optionally closing quote/bracket) then whitespace.
_END = re.compile(r"[.!?;](?:[\"”’')\]]*)(?=\s+|$)|\n")
_NEXT_STARTS = re.compile(r"\s*(?:[A-Z0-9(\"“‘'§•\-]|$)")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """[start, end) spans of sentences within text[start:end], whitespace trimmed, none empty."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _END.finditer(text, start, end):
        stop = match.end()
        if match.group() == "\n":
            if not _newline_ends(text, begin, match.start(), end):
                continue
        elif not _is_real_end(text, match.start(), stop, end):
            continue
        _add_trimmed(text, begin, stop, spans)
        begin = stop
    _add_trimmed(text, begin, end, spans)
    return _merge_stubs(text, spans)


def _merge_stubs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A bare number or short heading ("6.", "2.3 Suspension.") is not a sentence of its own:
    it joins the sentence that follows it."""
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for a, b in spans:
        start = a if pending is None else pending
        if len(text[a:b].split()) <= 3 and not text[a:b].rstrip().endswith(("!", "?")):
            pending = start
            continue
        merged.append((start, b))
        pending = None
    if pending is not None:
        if merged and spans:
            merged[-1] = (merged[-1][0], spans[-1][1])
        elif spans:
            merged.append((pending, spans[-1][1]))
    return merged


def _newline_ends(text: str, begin: int, newline: int, limit: int) -> bool:
    """A line break ends a sentence after a blank line or a short (heading-like) line; a break
    inside a wrapped paragraph (PDF text) does not."""
    if text.startswith("\n", newline + 1) or newline + 1 >= limit:
        return True
    return newline - (text.rfind("\n", 0, newline) + 1) < 50


def _is_real_end(text: str, dot: int, stop: int, limit: int) -> bool:
    if text[dot] == ";":
        # Semicolons end list items; treat them as sentence ends only when a new item follows.
        return bool(re.match(r"\s*(?:and\s+|or\s+)?\(?[a-z0-9ivx]{1,4}\)", text[stop:limit]))
    if text[dot] == ".":
        word = re.search(r"([A-Za-z.]+)$", text[max(0, dot - 12) : dot])
        if word and word.group(1).lower().strip(".") in _ABBREVIATIONS:
            return False
        if re.search(r"(?:^|\s)[A-Z]$", text[max(0, dot - 2) : dot]):  # initials: "J. Smith"
            return False
        if re.search(r"\d$", text[max(0, dot - 1) : dot]) and re.match(
            r"\d", text[stop : stop + 2].strip() or "x"
        ):
            return False  # "Section 2. 1" inside numbering
    return bool(_NEXT_STARTS.match(text, stop, limit)) or stop >= limit


def _add_trimmed(text: str, begin: int, stop: int, spans: list[tuple[int, int]]) -> None:
    while begin < stop and text[begin].isspace():
        begin += 1
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    if stop > begin:
        spans.append((begin, stop))
