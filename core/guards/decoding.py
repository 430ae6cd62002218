"""Encoded payloads: spans that decode (base64/32, hex, URL and HTML escapes, Morse) or
unscramble (ROT13, reversed, leetspeak, letters split by separators) to an instruction.

Each decoder proposes (start, end, decoded text); the caller scores the decoded text with the
same detector as plain text, so an encoding only matters when what it hides is an instruction.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import re
from collections.abc import Callable, Iterator
from urllib.parse import unquote

Candidate = tuple[int, int, str, str]  # start, end, decoded text, method

_B64 = re.compile(r"(?<![\w+/=])[A-Za-z0-9+/_-]{16,}={0,2}(?![\w+/=])")
_B32 = re.compile(r"(?<![\w=])[A-Z2-7]{16,}=*(?![\w=])")
_HEX = re.compile(r"(?<![\w])(?:[0-9a-fA-F]{2}[ :]?){8,}(?![\w])")
_URL = re.compile(r"\S*(?:%[0-9a-fA-F]{2}\S*){3,}")
_ESCAPES = re.compile(
    r"(?:\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|[^\s\\])*(?:\\[xu][0-9a-fA-F]{2,4}[^\s\\]*){3,}"
)
_ENTITIES = re.compile(r"(?:&#(?:x[0-9a-fA-F]{1,6}|[0-9]{1,7});\s?){4,}")
_MORSE = re.compile(r"(?<![\w.-])(?:[.-]{1,7}(?:[ \t]+/?[ \t]*|$)){5,}")
_SPLIT_LETTERS = re.compile(
    r"(?<![a-z])(?:[a-z][\-_.*|+~\u200b\u200c\u200d]){3,}[a-z](?![a-z])", re.I
)
_SEPARATED_WORDS = re.compile(r"\w+(?:[_\-]+\w+){2,}")
_LEET_TOKEN = re.compile(r"(?=[a-z0-9@$|!]*[a-z])(?=[a-z0-9@$|!]*[0-9@$|!])[a-z0-9@$|!]{3,}")
_LEET = str.maketrans("013457@$8|!", "oieastasbii")
_COMMON = re.compile(
    r"\b(?:the|and|of|to|in|is|that|for|shall|be|this|with|by|or|any|as|are|you|your|all|not|on|it|at|from|now|me|my|what)\b"
)
_MORSE_CODE = dict(
    zip(
        [
            ".-",
            "-...",
            "-.-.",
            "-..",
            ".",
            "..-.",
            "--.",
            "....",
            "..",
            ".---",
            "-.-",
            ".-..",
            "--",
            "-.",
            "---",
            ".--.",
            "--.-",
            ".-.",
            "...",
            "-",
            "..-",
            "...-",
            ".--",
            "-..-",
            "-.--",
            "--..",
            "-----",
            ".----",
            "..---",
            "...--",
            "....-",
            ".....",
            "-....",
            "--...",
            "---..",
            "----.",
        ],
        "abcdefghijklmnopqrstuvwxyz0123456789",
        strict=True,
    )
)


def _readable(raw: bytes) -> str | None:
    """The bytes as text when they look like words (letters and spaces), else None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(text) < 6 or " " not in text.strip():
        return None
    printable = sum(c.isprintable() or c in "\n\t" for c in text)
    letters = sum(c.isalpha() or c == " " for c in text)
    return text if printable == len(text) and letters >= 0.7 * len(text) else None


def _b64(token: str) -> str | None:
    padded = token + "=" * (-len(token) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None
    return _readable(raw)


def _b32(token: str) -> str | None:
    try:
        raw = base64.b32decode(token + "=" * (-len(token) % 8))
    except (binascii.Error, ValueError):
        return None
    return _readable(raw)


def _hex(token: str) -> str | None:
    try:
        raw = bytes.fromhex(re.sub(r"[ :]", "", token))
    except ValueError:
        return None
    return _readable(raw)


def _escapes(token: str) -> str | None:
    def one(m: re.Match[str]) -> str:
        return chr(int(m.group(1) or m.group(2), 16))

    return re.sub(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})", one, token)


def _morse(token: str) -> str | None:
    words = re.split(r"\s*/\s*|\s{2,}", token.strip())
    out = []
    for word in words:
        letters = [_MORSE_CODE.get(code) for code in word.split()]
        if None in letters:
            return None
        out.append("".join(c for c in letters if c))
    decoded = " ".join(out)
    return decoded if len(decoded) >= 6 else None


_TOKEN_DECODERS: list[tuple[str, re.Pattern[str], Callable[[str], str | None]]] = [
    ("base64", _B64, _b64),
    ("base32", _B32, _b32),
    ("hex", _HEX, _hex),
    ("url-encoding", _URL, unquote),
    ("escapes", _ESCAPES, _escapes),
    ("html-entities", _ENTITIES, html.unescape),
    ("morse", _MORSE, _morse),
]


def decoded_spans(text: str) -> Iterator[Candidate]:
    """Encoded tokens anywhere in the text, with what they decode to."""
    for method, pattern, decode in _TOKEN_DECODERS:
        for match in pattern.finditer(text):
            decoded = decode(match.group())
            if decoded and decoded != match.group():
                yield match.start(), match.end(), decoded, method


def looks_like_words(text: str) -> bool:
    """Readings that are English have its commonest words (ROT13 of English has none)."""
    return len(_COMMON.findall(text)) >= 2


def unscrambled(sentence: str) -> Iterator[tuple[str, str]]:
    """Readings of one folded sentence under the simple scramblings attackers use."""
    if len(_COMMON.findall(sentence)) < 2:
        yield codecs.encode(sentence, "rot13"), "rot13"
        yield sentence[::-1], "reversed"
    if _LEET_TOKEN.search(sentence):
        yield sentence.translate(_LEET), "leetspeak"
    if _SPLIT_LETTERS.search(sentence):
        joined = _SPLIT_LETTERS.sub(lambda m: re.sub(r"[^a-zA-Z]", "", m.group()), sentence)
        yield joined, "split letters"
    if _SEPARATED_WORDS.search(sentence):
        yield re.sub(r"[_\-]+", " ", sentence), "separators"
