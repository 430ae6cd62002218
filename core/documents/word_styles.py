"""Word paragraph styles: a style and the styles it is based on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_MAX_DEPTH = 10  # base-style chains can be cyclic in bad files


def style_chain(style: Any) -> Iterator[Any]:
    """`style`, then the style it is based on, and so on: nearest first."""
    current, depth = style, 0
    while current is not None and depth < _MAX_DEPTH:
        yield current
        current, depth = getattr(current, "base_style", None), depth + 1
