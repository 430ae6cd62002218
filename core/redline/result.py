"""What a redline export returns (apart from the code that builds it, which loads python-docx)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Basis = Literal["original", "text"]


@dataclass(frozen=True)
class Redline:
    content: bytes  # the .docx
    based_on: Basis  # the uploaded Word file itself, or a Word copy of the document's text
    changes: int  # findings written as a tracked deletion and insertion
    comments: int
    warnings: list[str]
