"""The document's title ("MASTER SERVICES AGREEMENT") from the top of the text."""

from __future__ import annotations

import re

from core.terms.spans import Found

_KINDS = (
    r"AGREEMENT|CONTRACT|LICEN[CS]E|ADDENDUM|AMENDMENT|LEASE|ATTORNEY|CERTIFICATE|UNDERSTANDING"
    r"|GUARANTEE|GUARANTY|DEED|MEMORANDUM|TERMS\sAND\sCONDITIONS|STATEMENT\sOF\sWORK|ORDER\sFORM"
)
_UPPER = re.compile(
    r"(?<![\w.])(?:[A-Z0-9][A-Z0-9&'’.,/()-]*\s){0,14}(?:" + _KINDS + r")(?![\w-])"
    r"(?!\s(?:No\b|NO\.|Number|NUMBER|#))"
)
_TITLE_CASE_KINDS = _KINDS.title().replace("\\S", "\\s").replace("Licen[Cs]E", "Licen[cs]e")
_TITLED = re.compile(
    r"(?:^|(?<=\bThis\s)|(?<=\bTHIS\s))(?!This\s|THIS\s)"
    r"(?:[A-Z][\w&'’-]*\s(?:(?:and|of|for|to|&)\s)?){1,8}"
    r"(?:" + _TITLE_CASE_KINDS + r")\b",
    re.MULTILINE,
)
_JUNK_PREFIX = re.compile(
    r"^(?:(?:EXHIBIT|EX|ANNEX|APPENDIX|SCHEDULE)\s[\w.()-]{1,12}\s|EXECUTION\s(?:VERSION|COPY)\s"
    r"|[\d.()-]+\s"
    r"|CONFIDENTIAL\s(?:TREATMENT\sREQUESTED\s)?|REDACTED\s(?:VERSION\s|COPY\s)?|FINAL\s|DRAFT\s"
    r"|THIS\s)+"
)
_CUT = re.compile(r"\s(?:THIS|BETWEEN|DATED|MADE|BY\sAND)\s.*$", re.DOTALL)
_WINDOW = 4000


def _clean(text: str, start: int, end: int) -> tuple[int, int]:
    title = text[start:end]
    cut = _CUT.search(title)
    if cut:
        end = start + cut.start()
        title = text[start:end]
    junk = _JUNK_PREFIX.match(title)
    if junk:
        start += junk.end()
    return start, end


def document_name(text: str) -> Found[str] | None:
    """The first upper-case title near the top, else a Title Case one ("Supply Agreement")."""
    window = min(len(text), _WINDOW)
    candidates: list[tuple[int, int]] = []
    for match in _UPPER.finditer(text, 0, window):
        start, end = _clean(text, match.start(), match.end())
        if len(text[start:end].split()) >= 2:
            candidates.append((start, end))
            break
    titled = _TITLED.search(text, 0, window)
    if titled:
        candidates.append((titled.start(), titled.end()))
    if not candidates:
        return None
    start, end = min(candidates)
    name = re.sub(r"\s+", " ", text[start:end]).strip()
    return Found(name, start, end)
