"""Contracting parties from the preamble: "by and between X, a Delaware corporation ("X"), and Y".

After "between"/"among" the preamble is cut at each defined-term parenthesis ("("Provider")",
"(hereinafter "LEO")"); the name opening each piece (or, failing that, closing it) is a party.
Without defined terms the pieces are split at "and" / ";" / "(2)". Other layouts, tried in
turn: labels ("Party A: X"), preambles without "between" ("X ("Adviser") hereby appoints
Y ("Agent")"), and company names in the signature block.
"""

from __future__ import annotations

import re

from core.terms.names import company_names, is_suffix, leading_name, trailing_name
from core.terms.spans import Found
from core.terms.timeline import preamble_end

Span = tuple[int, int]
_I = re.IGNORECASE
_KEYWORD = re.compile(
    r"\b(?:(?i:by\s(?:and\s)?(?:between|among)|between|among|(?:entered\sinto|made)\sby(?!\s(?:and\s)?(?:between|among)))"
    r"|PARTIES|[Pp]arties\s?(?=:))\b\s?:?\s?"
)
_REGION_END = re.compile(
    r"\b(?:WHEREAS|Whereas|RECITALS?|R\sE\sC\sI\sT\sA\sL\sS|Recitals|BACKGROUND|Background|W\s?I\s?T\s?N\s?E\s?S\s?S"
    r"|NOW,?\s?THEREFORE|Now,?\sTherefore|IT\sIS\s(?:HEREBY\s)?AGREED|TABLE\sOF\sCONTENTS"
    r"|Table\sof\sContents"
    r"|(?<!in\s)(?<!of\s)(?<!to\s)(?<!by\s)[Tt]his\s(?:[\w-]+\s){0,5}(?:Agreement|AGREEMENT|agreement)\b"
    r"|(?:hereby\s)?agree\sas\sfollows|in\sconsideration\sof)"
)
_SENTENCE_END = re.compile(r"\.\s+(?=[A-Z\"“(])(?!(?:and|AND|And)\b)|\n\n(?!(?:and|AND|And)\b)")
_ABBREV_END = re.compile(
    r"(?:\b[A-Z]|(?<![\w.,])\d{1,2}|\b[A-Za-z]{1,4}\.[A-Za-z]{1,3}|\b(?:Inc|Corp|Co|Ltd|No|St|Mt|Mr|Ms|Dr|Jr|Sr|Ave|Pty"
    r"|Pte|Bros))\.$"
)
_ALIAS = re.compile(r"\(\s?(?:[^()]{0,80}?[\"“”'‘’]|hereinafter|as\s[A-Z\"“])", _I)
# A defined term written out: "hereinafter referred to as "Licensor"", "— hereinafter called
# Acme —", "referred to in this Agreement as "Company" or "Wren"".
_QUOTE = r"[\"“”'‘’]"
_REFERRED = re.compile(
    r"[(—–-]?\s?(?:hereinafter\s|hereafter\s)?(?:referred\sto|called)\s(?:[\w]+\s){0,4}?as\s"
    rf"(?:the\s)?{_QUOTE}?[\w&.' -]{{1,30}}?{_QUOTE}?"
    rf"(?:\s(?:or|and)\s{_QUOTE}[^\"“”]{{1,30}}{_QUOTE})*"
    r"(?=\s?[,;.)—–\n]|\s(?:and|AND)\b|$)",
    _I,
)
_MARKER_END = re.compile(
    r"[,(—–-]?\s?(?:hereinafter|hereafter)?\s?(?:referred\sto|called)\s(?:\w+\s){0,4}?as\s?$", _I
)
_PLACE_BEFORE = re.compile(
    r"\b(?:laws?|incorporated|organi[sz]ed|existing|located|address|offices?|headquarter\w*"
    r"|business|resid\w*|domiciled)\b",
    _I,
)
_SPLIT = re.compile(
    r"\s?(?:;\s?(?:and\s)?|,?\s(?:and|AND|And)\s?:?\s|\s?-{2}\s?(?:AND|and)\s?-{2}\s?)"
)
_COMMA = re.compile(r",\s")
_ENUMERATOR = re.compile(r"(?<!\S)\(\d{1,2}\)\s")
_LEAD = re.compile(
    r"[\s,;:.\-–—]{0,6}(?:(?:and|AND|And)\b:?)?[\s,;:.\-–—]{0,6}"
    r"(?:on\sthe\s(?:one|other)\shand,?\s)?"
    r"(?:\(?(?:\d{1,2}|[a-hA-H]|[ivx]{1,3})\)\s?|(?P<number>(?:\d{1,2}|[A-H])\.\s))?"
    r"(?:the\s(?=[A-Z]))?"
)
# A run-in heading ("1. Term Unless otherwise ..."): a numbered line, two capitalised words, then
# lower case. It ends the preamble, and its words are no party.
_RUN_IN = re.compile(r"\s[a-z]")
_LABEL = re.compile(
    r"\bParty\s[A-Z1-9](?:\s?\([^()]{1,30}\))?\s?:\s?|(?:^|\n|(?<=[.;]\s))(?:Licensor|Licensee|Franchisor|Franchisee|Seller|Buyer|Vendor"
    r"|Supplier|Customer|Client|(?:Service\s)?Provider|Contractor|Consultant|Distributor"
    r"|Lender|Borrower|Landlord|Tenant|Company)\s?:\s?"
)
_WITNESS = re.compile(r"IN\sWITNESS\sWHEREOF|In\sWitness\sWhereof|SIGNATURE\sPAGE")
_MAX_REGION = 1500


def _sentence_ends(text: str, start: int, end: int) -> list[int]:
    ends = []
    for match in _SENTENCE_END.finditer(text, start, end):
        is_period = match.group(0).startswith(".")
        if is_period and _ABBREV_END.search(text, max(0, match.start() - 6), match.start() + 1):
            continue
        ends.append(match.start() + 1)
    ends.append(end)
    return ends


def _paren_end(text: str, start: int, end: int) -> int:
    depth = 0
    for pos in range(start, min(end, start + 300)):
        if text[pos] == "(":
            depth += 1
        elif text[pos] == ")":
            depth -= 1
            if depth == 0:
                return pos + 1
    return -1


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Split `text[start:end]` at defined terms ("(the "Seller")", "hereinafter referred to as
    "Buyer""): (start, end, has_alias)."""
    pieces: list[tuple[int, int, bool]] = []
    pos = cursor = start
    while cursor < end:
        open_at = text.find("(", cursor, end)
        close_at = _paren_end(text, open_at, end) if open_at >= 0 else -1
        referred = _REFERRED.search(text, cursor, open_at if close_at >= 0 else end)
        if referred is not None:
            pieces.append((pos, referred.start(), True))
            pos = cursor = referred.end()
            continue
        if close_at < 0:
            break
        if _ALIAS.match(text, open_at, close_at):
            pieces.append((pos, open_at, True))
            pos = close_at
        cursor = close_at
    pieces.append((pos, end, False))
    return pieces


def _names_in_piece(text: str, start: int, end: int, alias: bool) -> list[Span]:
    lead = _LEAD.match(text, start, end)
    begin = lead.end() if lead else start
    names: list[Span] = []
    first = leading_name(text, begin, end)
    if first is not None and lead and lead.group("number") and _RUN_IN.match(text, first[1]):
        return []
    if first is not None:
        names.append(first)
    elif alias:
        last = _trailing_party(text, begin, end)
        if last is not None:
            names.append(last)
    for splitter in (_SPLIT, _COMMA):
        for split in splitter.finditer(text, begin, end):
            other = leading_name(text, split.end(), end)
            if other is None or not all(other[0] >= n[1] or other[1] <= n[0] for n in names):
                continue
            if splitter is _COMMA and not any(n[1] == split.start() for n in names):
                continue  # a list "A Inc., B LLC": the comma must close a name
            if is_suffix(text[other[0] : other[1]].split()[-1]) or (
                not alias and splitter is _SPLIT
            ):
                names.append(other)
    return sorted(names)


def _trailing_party(text: str, start: int, end: int) -> Span | None:
    """The name just before a defined term, unless it is a place ("laws of the State of X")."""
    marker = _MARKER_END.search(text, start, end)
    last = trailing_name(text, start, marker.start() if marker else end)
    if last is None or _PLACE_BEFORE.search(text, start, last[0]):
        return None
    return last


def _next_aliased(text: str, start: int, end: int) -> list[Span]:
    """The party named in the first defined-term piece of `text[start:end]`, if any."""
    for piece in _pieces(text, start, end):
        if piece[2]:
            return _names_in_piece(text, *piece)[:1]
    return []


def _enumerated(text: str, start: int, end: int) -> list[Span]:
    """Names right after "(1)", "(2)", ... when the parties are numbered."""
    marks = list(_ENUMERATOR.finditer(text, start, end))
    if len(marks) < 2:
        return []
    names = [leading_name(text, m.end(), end) for m in marks]
    return [n for n in names if n is not None]


def _parse_region(text: str, start: int, end: int) -> list[Span]:
    names: list[Span] = []
    pos = start
    defined = 0  # defined terms seen: a second one names the other party, found or not
    for stop in _sentence_ends(text, start, end):
        before = len(names)
        for piece in _pieces(text, pos, stop):
            names.extend(_names_in_piece(text, *piece))
            defined += piece[2]
        wordy = len(text[pos:stop].split()) >= 4
        pos = stop
        if len(names) >= 2 or (wordy and len(names) == before):
            break
    if len(names) == 1 and defined < 2:  # the other party may follow an address block
        names += [n for n in _next_aliased(text, pos, end) if n[0] >= names[0][1]]
    numbered = _enumerated(text, start, pos)
    if len(numbered) < 2:
        return names
    # Numbered parties "(1) A ... (2) B": other names count only if they end like a company.
    companies = [n for n in names if is_suffix(text[n[0] : n[1]].split()[-1])]
    return sorted(set(numbered) | set(companies))


def _region_end(text: str, start: int) -> int:
    limit = min(len(text), start + _MAX_REGION)
    match = _REGION_END.search(text, start, limit)
    return match.start() if match else limit


def _dedupe(text: str, spans: list[Span]) -> list[Found[str]]:
    seen: set[str] = set()
    found: list[Found[str]] = []
    for start, end in spans:
        key = re.sub(r"[\W_]+", "", text[start:end]).lower()
        if key and key not in seen:
            seen.add(key)
            found.append(Found(text[start:end], start, end))
    return found


def _between(text: str, window: int) -> list[Found[str]]:
    best: list[Found[str]] = []
    for tries, keyword in enumerate(_KEYWORD.finditer(text, 0, window)):
        if tries >= 8:
            break
        found = _dedupe(text, _parse_region(text, keyword.end(), _region_end(text, keyword.end())))
        if len(found) >= 2:
            return found
        if len(found) > len(best):
            best = found
    return best


def _labelled(text: str, window: int) -> list[Found[str]]:
    marks = list(_LABEL.finditer(text, 0, window))
    ends = [m.start() for m in marks[1:]] + [window] if marks else []
    spans = [
        leading_name(text, m.end(), min(stop, m.end() + 200))
        for m, stop in zip(marks, ends, strict=True)
    ]
    return _dedupe(text, [s for s in spans if s is not None])


def _aliased(text: str, window: int) -> list[Found[str]]:
    """Companies named just before a defined term ("Acme Inc. (the "Seller")") in the preamble."""
    spans: list[Span] = []
    pos = 0
    for start, end, alias in _pieces(text, 0, window):
        if alias:
            names = company_names(text, max(pos, start), end)
            if names:
                spans.append(names[0])
        pos = end
    return _dedupe(text, spans)


def _signed(text: str, window: int) -> list[Found[str]]:
    """Companies named in the signature block ("ACME INC. By: /s/ ...")."""
    marks = list(_WITNESS.finditer(text, window))
    if not marks:
        return []
    start = marks[-1].end()
    return _dedupe(text, company_names(text, start, min(len(text), start + 2000)))


def parties(text: str) -> list[Found[str]]:
    """Party names in order of appearance: preamble first, else the signature block."""
    window = preamble_end(text)
    best: list[Found[str]] = []
    for finder in (_between, _labelled, _aliased, _signed):
        found = finder(text, window)
        if len(found) >= 2:
            return found
        if len(found) > len(best):
            best = found
    return best
