"""Recognise a legal name ("Jacksonville Jaguars, LLC", "Michael T. Murray, N.D.") in a phrase."""

from __future__ import annotations

import re


def _words(phrase: str) -> frozenset[str]:
    return frozenset(phrase.split())


def _phrases(phrases: str) -> frozenset[str]:
    return frozenset(phrases.split("|"))


# A capitalised parenthesised group ("(HONG KONG)", "(PTY)") is one token of a name.
_TOKEN = re.compile(r"\([A-Z][\w.&'’ -]{0,30}\)[,;:]?|\S+")
SUFFIXES = _words(
    "inc inc. incorporated corp corp. corporation company co co. llc l.l.c. llc. ltd ltd. "
    "limited lp l.p. llp l.l.p. plc gmbh ag sa s.a. s/a se nv n.v. bv b.v. a/s ab pty pty. "
    "pte pte. s.p.a. spa s.r.l. srl kk k.k. oy asa g.i.e. lllp p.c. pc s.a.s. sas sarl "
    "s.a.r.l. (pty) bhd bhd. sdn ulc fsb n.a. kg kgaa"
)
_CONNECTORS = _words("of and & de du des la le del della van von der y for on")
_GENERIC = _phrases(
    "party|parties|the parties|company|the company|agreement|this agreement|each|both|such|"
    "section|exhibit|schedule|whereas|recitals|affiliates|affiliate|licensor|licensee|buyer|"
    "seller|customer|supplier|vendor|provider|client|contractor|consultant|distributor|"
    "purchaser|ltd|inc|llc|source|introduction|definitions"
)
_BAD_WORDS = re.compile(
    r"\b(?:agreement|schedule|exhibit|section|article|whereas|hereinafter|dated|between|agree"
    r"|follows|hereby|witnesseth|including|limitation|liability|party\s[a-z0-9]|this|under)\b",
    re.IGNORECASE,
)
_BAD_START = re.compile(r"(?:this|each|both|such|said|either|any|all|these|those|it)\b", re.I)
_SECTION_NUMBER = re.compile(r"^\d+\.\d")
_DOTTED = _words("inc. corp. co. ltd. pty. pte. bhd. no.")  # abbreviations written with a dot
_ENTITY_WORDS = _words("bank fund trust association partnership partners society")
_ARTICLE = re.compile(r"\b(?:a|an)\s$", re.IGNORECASE)
# Not a party: a street address ("Suite 200"), a job title ("Chief Operating Officer"), a postal
# code ("K2X 9Z9") or a template placeholder ("<<Company Name>>", "[Customer Name]").
_NOT_A_PARTY = re.compile(
    r"\b(?:Suite|Blvd|Boulevard|Road|Building|Room|P\.?\s?O\.?\sBox|Floor)\b|[<>\[\]{}]|__|\.{4}"
    r"|['’]s$|^(?:\w\s)+\w$"
    r"|^(?:Chief|Director|President|Vice\sPresident|Secretary|Treasurer|Authori[sz]ed)\b"
    r"|\b(?:Officer|Signatory)$"
)
_DIGIT_WORD = re.compile(r"\d")
_NEXT_WORD = re.compile(r"\s*(\S+)")


def _core(token: str) -> str:
    return token.rstrip(",;:")


def is_suffix(token: str) -> bool:
    return _core(token).lower() in SUFFIXES


def _nameish(token: str, first: bool) -> bool:
    core = _core(token)
    if not core or core[0] in "\"“”'‘’[" or _SECTION_NUMBER.match(core):
        return False
    if core[0] == "(":
        return (not first and core.endswith(")")) or is_suffix(core)
    if core.isdigit():  # "Relay 7 AG", "Holdings 2031 Limited"; never a leading number
        return len(core) <= 4 and not first
    if core[0].isupper() or core[0].isdigit():
        return True
    if is_suffix(core):  # lower case only as an abbreviation: "inc.", "llc", not "company"
        return len(core) <= 4 or "." in core
    if core.lower() in _CONNECTORS:
        return not first
    # "eFashion", "drkoop.com" as the first word of a name.
    return first and (any(c.isupper() for c in core) or "." in core.strip("."))


Token = tuple[int, int, str]


def _strip_end(tokens: list[Token]) -> list[Token]:
    while tokens:
        last = _core(tokens[-1][2])
        if (
            last.lower() in _CONNECTORS
            or not last
            or (last.startswith("(") and not is_suffix(last))
        ):
            tokens = tokens[:-1]
        else:
            break
    return tokens


def _span(text: str, tokens: list[Token]) -> tuple[int, int] | None:
    tokens = _strip_end(tokens)
    if not tokens:
        return None
    start, end = tokens[0][0], tokens[-1][1]
    while end > start and text[end - 1] in ",;:":
        end -= 1
    last = _core(tokens[-1][2])
    keep_dot = last.lower() in _DOTTED or last.count(".") > 1 or len(last) <= 2
    if text[end - 1] == "." and not keep_dot:
        end -= 1
    return (start, end) if valid(text[start:end]) else None


def _run(text: str, start: int, end: int) -> list[Token]:
    taken: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        token = match.group(0)
        if len(taken) >= 12 or not _nameish(token, not taken) or _stops(text, taken, match):
            break
        taken.append((match.start(), match.end(), token))
        if token.endswith((";", ":")) or _ends_sentence(token):
            break
    return taken


def _stops(text: str, taken: list[Token], match: re.Match[str]) -> bool:
    """Whether the name in `taken` ends before this token: after a blank line, at ", and", or
    after a legal form ("Acme Inc. Holdings"), though "GmbH & Co KG" is one form."""
    if not taken:
        return False
    last, token = taken[-1][2], match.group(0)
    if "\n\n" in text[taken[-1][1] : match.start()] or (
        last.endswith(",") and token.lower() == "and"
    ):
        return True
    if len(taken) > 1 and is_suffix(last) and not is_suffix(token):
        after = _NEXT_WORD.match(text, match.end())
        return not (token == "&" and after is not None and is_suffix(after.group(1)))
    return False


def _ends_sentence(token: str) -> bool:
    """True for a word ending a sentence ("Company."), not for "Inc.", "T.", "N.D." or "U.S."."""
    core = _core(token)
    return core.endswith(".") and not is_suffix(core) and len(core) > 3 and "." not in core[:-1]


def leading_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Span of the name that opens `text[start:end]`, if it opens with one."""
    return _span(text, _run(text, start, end))


def trailing_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Span of the name that closes `text[start:end]` ("... for services of Jane Roe")."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text, start, end)]
    taken: list[Token] = []
    for token in reversed(tokens[-12:]):
        core = _core(token[2]).lower()
        if not _nameish(token[2], False):
            break
        if token[2].endswith((",", ";", ":")) and taken and not is_suffix(taken[0][2]):
            break
        if core in {"and", "&"} and len(taken) >= 2:
            break
        taken.insert(0, token)
    while taken and _core(taken[0][2]).lower() in _CONNECTORS:
        taken = taken[1:]
    return _span(text, taken)


def company_names(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Names in `text[start:end]` ending like an entity ("Inc.", "Ltd", "Bank", "Fund").

    A name right after "a"/"an" is a description ("a Delaware Corporation"), not a name.
    """
    found: list[tuple[int, int]] = []
    pos = start
    for match in _TOKEN.finditer(text, start, end):
        if match.start() < pos:
            continue
        run = _strip_end(_run(text, match.start(), end))
        if not run:
            continue
        pos = run[-1][1]
        ending = _core(run[-1][2]).lower()
        span = _span(text, run) if is_suffix(ending) or ending in _ENTITY_WORDS else None
        if span and not _ARTICLE.search(text, max(0, span[0] - 4), span[0]):
            found.append(span)
    return found


def valid(name: str) -> bool:
    """A plausible party name: has a capital letter, is not a generic role or defined term."""
    if not 2 <= len(name) <= 120:
        return False
    words = name.split()
    if not any(c.isupper() for c in name) and not is_suffix(words[-1]):
        return False
    if words[-1].isdigit():  # "Interpretation 26": a table of contents line
        return False
    if name.lower().strip(" .,") in _GENERIC or _BAD_WORDS.search(name) or _BAD_START.match(name):
        return False
    if _NOT_A_PARTY.search(name) or 2 * sum(map(bool, map(_DIGIT_WORD.search, words))) > len(words):
        return False
    if len(words) == 1:
        # A lone word is a name only if it looks like one: "drkoop.com", "eFashion", "3M".
        word = words[0]
        inner_capital = word[1:] != word[1:].lower() and not word.isupper()
        return any(c.isdigit() for c in word) or "." in word.strip(".") or inner_capital
    return True
