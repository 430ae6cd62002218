"""CUAD-format rows and their expert spans, mapped onto the text the pipeline analyses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.documents.normalize import map_offsets, normalize
from core.taxonomy import CUAD_TYPES


@dataclass(frozen=True)
class GoldSpan:
    category: str
    start: int  # offsets into the normalised text (what `document.text` holds)
    end: int


@dataclass(frozen=True)
class Contract:
    id: str
    text: str  # CUAD's text, as the file a user would upload
    spans: tuple[GoldSpan, ...]
    answers: dict[str, str]  # CUAD's normalised answers (csv_answers)

    @property
    def positive(self) -> frozenset[str]:
        return frozenset(s.category for s in self.spans)


def read_contracts(path: Path, limit: int | None = None) -> Iterator[Contract]:
    """Rows of a CUAD-format JSONL file, in file order (the first `limit` only, if given)."""
    with path.open(encoding="utf-8") as handle:
        for count, line in enumerate(handle):
            if limit is not None and count >= limit:
                return
            yield _contract(json.loads(line))


def shortest_contracts(path: Path, count: int) -> list[Contract]:
    """The `count` shortest contracts: a quick, fixed sample for the regression guard."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rows.sort(key=lambda row: (len(row["text"]), row["id"]))
    return [_contract(row) for row in rows[:count]]


def _contract(row: dict[str, object]) -> Contract:
    text = str(row["text"])
    _, source_map = normalize(text)
    raw = [c for c in row["clauses"] if c["category"] in CUAD_TYPES]  # type: ignore[attr-defined]
    starts = map_offsets(source_map, [c["start"] for c in raw])
    ends = map_offsets(source_map, [c["end"] for c in raw])
    spans = tuple(
        GoldSpan(c["category"], a, b) for c, a, b in zip(raw, starts, ends, strict=True) if b > a
    )
    answers = {str(k): str(v) for k, v in dict(row.get("csv_answers") or {}).items()}  # type: ignore[call-overload]
    return Contract(str(row["id"]), text, spans, answers)
