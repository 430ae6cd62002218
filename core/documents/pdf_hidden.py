"""Text a PDF draws invisibly: render mode 3 (neither filled nor stroked, the trick OCR layers
and hidden prompts use) or a white fill. pypdf's extraction visitors report each operator and
each piece of text; this tracker follows the graphics state and keeps the invisible pieces."""

from __future__ import annotations

from typing import Any

_WHITE = 0.99


class HiddenTextTracker:
    def __init__(self) -> None:
        self.mode = 0  # text render mode (Tr)
        self.white = False  # current fill colour is white
        self._stack: list[tuple[int, bool]] = []
        self.pieces: list[tuple[str, str]] = []  # (text, how)

    def operator(self, op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op == b"q":
            self._stack.append((self.mode, self.white))
        elif op == b"Q" and self._stack:
            self.mode, self.white = self._stack.pop()
        elif op == b"Tr" and args:
            self.mode = int(_number(args[0]))
        elif op in (b"rg", b"g", b"k", b"sc", b"scn"):
            self.white = _is_white(op, [_number(a) for a in args if _is_number(a)])

    def text(self, text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not text.strip():
            return
        if self.mode in (3, 7):
            self.pieces.append((text, "invisible text (render mode 3)"))
        elif self.white and self.mode in (0, 4):
            self.pieces.append((text, "white text"))

    def spans_in(self, page_text: str) -> list[tuple[int, int, str]]:
        """Where the invisible pieces landed in the page's extracted text (merged when adjacent)."""
        spans: list[tuple[int, int, str]] = []
        cursor = 0
        for piece, how in self.pieces:
            needle = piece.strip()
            at = page_text.find(needle, cursor)
            if at < 0:
                continue
            end = at + len(needle)
            cursor = end
            if spans and spans[-1][2] == how and at - spans[-1][1] <= 2:
                spans[-1] = (spans[-1][0], end, how)
            else:
                spans.append((at, end, how))
        return spans


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _is_white(op: bytes, values: list[float]) -> bool:
    if op == b"k":  # CMYK: white is no ink at all
        return len(values) == 4 and all(v <= 1 - _WHITE for v in values)
    return bool(values) and all(v >= _WHITE for v in values) and len(values) in (1, 3)
