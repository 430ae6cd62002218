"""Wording a reviewer accepted (a finding dismissed as acceptable risk, turned into an example of
its playbook position): the same wording is not flagged again. Matched as text, ignoring case,
spacing and surrounding punctuation; a phrase too short to be telling never matches."""

from __future__ import annotations

import re
from collections.abc import Sequence

MIN_CHARS = 20
_SPACE = re.compile(r"\s+")
_EDGES = " \t\n.,;:()\"'“”‘’"


def normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip(_EDGES).lower()


def is_accepted(text: str, accepted: Sequence[str]) -> bool:
    """True when `text` is, holds or lies within wording the reviewer accepted."""
    said = normal(text)
    if len(said) < MIN_CHARS:
        return False
    for phrase in accepted:
        wording = normal(phrase)
        if len(wording) >= MIN_CHARS and (wording in said or said in wording):
            return True
    return False
