"""Playbook chunks: one retrievable piece of guidance per position or rule of a playbook version."""

from __future__ import annotations

import re

from core.playbooks.schema import ClauseRule, Playbook
from core.store.records import ChunkKind, PlaybookChunk


def slug(clause_type: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", clause_type.lower()).strip("-")


def _rule_pieces(rule: ClauseRule) -> list[tuple[str, str, str | None]]:
    """(kind, text, risk) for every piece of guidance in one rule, in reading order."""
    pieces: list[tuple[str, str, str | None]] = [("standard", rule.standard.text, None)]
    pieces += [("fallback", fb.text, fb.risk) for fb in rule.fallbacks]
    pieces += [("red_flag", flag.description, flag.risk) for flag in rule.red_flags]
    pieces += [("threshold", th.description, th.risk) for th in rule.thresholds]
    if rule.required:
        pieces.append(("required", f"A {rule.type} clause is required.", rule.risk))
    return pieces


def build_chunks(playbook: Playbook, version_id: str) -> list[PlaybookChunk]:
    chunks: list[PlaybookChunk] = []
    for rule in playbook.rules:
        counts: dict[str, int] = {}
        for kind, text, risk in _rule_pieces(rule):
            counts[kind] = counts.get(kind, 0) + 1
            chunks.append(
                PlaybookChunk(
                    id=chunk_id(version_id, rule.type, kind, counts[kind] - 1),
                    version_id=version_id,
                    ordinal=len(chunks),
                    clause_type=rule.type,
                    kind=kind,
                    # The type leads the text so the embedding knows what the guidance is about.
                    text=f"{rule.type} — {kind.replace('_', ' ')}: {text}",
                    risk=risk,
                )
            )
    for check in playbook.checks:
        chunks.append(
            PlaybookChunk(
                id=check_chunk_id(version_id, check.id),
                version_id=version_id,
                ordinal=len(chunks),
                clause_type=check.name,
                kind="check",
                text=f"{check.name} — check: {check.statement}",
                risk=check.risk,
            )
        )
    return chunks


def check_chunk_id(version_id: str, check_id: str) -> str:
    """The id of the one piece of guidance a check is (its statement)."""
    return f"{version_id}/check/{check_id}"


def chunk_id(version_id: str, clause_type: str, kind: ChunkKind, index: int = 0) -> str:
    """The id `build_chunks` gives the `index`-th (0-based) piece of `kind` in a rule."""
    return f"{version_id}/{slug(clause_type)}/{kind}-{index + 1}"
