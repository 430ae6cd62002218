"""Input guards over document text: signals a reviewer should know about before trusting it.

Currently: invisible and direction-changing characters (zero-width, bidi controls, Unicode tag
characters, private-use), which can hide text from a human reader while a machine still reads it.
"""

from __future__ import annotations

import re

from core.models import InputWarning

_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f"
    "\ue000-\uf8ff]+"
)


def check_text(text: str) -> list[InputWarning]:
    warnings = []
    for match in _INVISIBLE.finditer(text):
        a, b = match.span()
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in match.group()}))
        warnings.append(
            InputWarning(
                kind="invisible_characters",
                start=a,
                end=b,
                excerpt=f"{text[max(0, a - 30) : a]}[{codes}]{text[b : b + 30]}",
                score=1.0,
            )
        )
    return warnings
