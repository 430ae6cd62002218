"""The clause-type taxonomy: names, descriptions and example sentences written by us, and cue
patterns (see docs/taxonomy.md). Loaded once from `types.yaml` beside this module."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.taxonomy.names import ALL_TYPES, CUAD_TYPES, HOUSE_TYPES
from core.yamltext import load_yaml

TYPES_FILE = Path(__file__).with_name("types.yaml")


@dataclass(frozen=True)
class ClauseType:
    name: str
    group: str
    description: str
    examples: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    exclude_patterns: tuple[re.Pattern[str], ...]

    def prototype_texts(self) -> list[str]:
        return [f"{self.name}: {self.description}", *self.examples]


# A heading cue counts only as the clause's own heading: at the start of its text, after any
# "Section 12" or "12.3" ("Limitation of Liability", not "subject to Section 12 (Limitation of
# Liability)").
_HEADING_START = r"^\W*(?:(?:section|article)\s+)?(?:[\divx]+(?:\.\d+)*\.?\s*)?"


def _compile(
    patterns: list[str] | None, headings: list[str] | None = None
) -> tuple[re.Pattern[str], ...]:
    sources = [*(patterns or []), *(f"{_HEADING_START}(?:{h})" for h in headings or [])]
    return tuple(re.compile(p, re.IGNORECASE) for p in sources)


@lru_cache(maxsize=1)
def load_taxonomy() -> tuple[ClauseType, ...]:
    entries = load_yaml(TYPES_FILE.read_text(encoding="utf-8"))
    types = tuple(
        ClauseType(
            name=e["name"],
            group=e.get("group", ""),
            description=e["description"].strip(),
            examples=tuple(e.get("examples") or ()),
            patterns=_compile(e.get("patterns"), e.get("headings")),
            exclude_patterns=_compile(e.get("exclude_patterns")),
        )
        for e in entries
    )
    names = [t.name for t in types]
    if set(names) != set(ALL_TYPES) or len(names) != len(ALL_TYPES):
        missing = sorted(set(ALL_TYPES) - set(names))
        raise ValueError(f"{TYPES_FILE} does not match names.py; missing: {missing}")
    return types


__all__ = ["ALL_TYPES", "CUAD_TYPES", "HOUSE_TYPES", "ClauseType", "load_taxonomy"]
