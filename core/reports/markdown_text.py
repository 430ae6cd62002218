"""Contract text made safe to put in Markdown."""

from __future__ import annotations


def md(text: str) -> str:
    """Escape what Markdown would otherwise interpret in contract text; one line."""
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())
