"""How one document's findings change between two playbook versions: compare two stored analyses
of the same document (findings added, removed, risk changed, guidance reworded), and re-run a
stored document against another version so there is something to compare.

Matching rule. A finding of the earlier analysis and one of the later analysis are "the same
finding" when they have the same clause type, the same kind (deviation / missing / red flag) and
the same family of rule (the clause's position, whether standard or a fallback; a red flag; one
threshold term, e.g. ``threshold:payment_terms_days``; a required clause), and point at the same
contract text. Candidates are paired in passes from strictest to loosest,
each finding paired at most once, in document order:

1. same rule id and same quoted span (start, end): several red flags on one clause stay apart;
2. same span: the rule's position in its list moved (e.g. ``red_flag:2`` became ``red_flag:1``);
3. same quoted text, whitespace ignored: the text moved (other extraction settings);
4. overlapping spans: the clause was cut differently;
5. same kind and span, and one finding's clause type is among the other's merged types
   (``also_types``): which rule came first in a merged finding changed.

A `missing` finding has no text, so it pairs by clause type alone (pass 2, empty span). Paired
findings whose risk differs are "risk changed"; same risk but a different deviation or
recommendation text are "reworded"; the rest are unchanged. Unpaired earlier findings were
removed, unpaired later ones were added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from core.errors import ContractAnalyzerError
from core.models import RISK_ORDER, Analysis, Finding
from core.pipeline import runner
from core.pipeline.events import Event, FinalEvent
from core.pipeline.services import Services
from core.playbooks.diff import FieldChange
from core.store import Store

ChangeStatus = Literal["added", "removed", "risk_changed", "reworded", "unchanged"]
Pair = tuple[Finding | None, Finding | None]
STATUS_TITLES: dict[ChangeStatus, str] = {
    "added": "Added",
    "removed": "Removed",
    "risk_changed": "Risk changed",
    "reworded": "Guidance changed",
    "unchanged": "Unchanged",
}


@dataclass(frozen=True)
class FindingChange:
    status: ChangeStatus
    before: Finding | None
    after: Finding | None

    @property
    def finding(self) -> Finding:
        """The later finding when there is one, else the earlier."""
        found = self.after or self.before
        assert found is not None
        return found

    @property
    def direction(self) -> Literal["raised", "lowered", ""]:
        if self.before is None or self.after is None or self.before.risk == self.after.risk:
            return ""
        raised = RISK_ORDER[self.after.risk] < RISK_ORDER[self.before.risk]
        return "raised" if raised else "lowered"

    def text_diffs(self) -> dict[str, str]:
        """Word differences ([-old-] {+new+}) of the deviation and recommendation, if changed."""
        if self.before is None or self.after is None:
            return {}
        out = {}
        for name in ("deviation", "recommendation"):
            old, new = getattr(self.before, name), getattr(self.after, name)
            if old != new:
                out[name] = FieldChange(name, old, new).text_diff
        return out


@dataclass(frozen=True)
class Comparison:
    before: Analysis
    after: Analysis
    changes: list[FindingChange]

    def of(self, status: ChangeStatus) -> list[FindingChange]:
        return [c for c in self.changes if c.status == status]

    def counts(self) -> dict[ChangeStatus, int]:
        return {status: len(self.of(status)) for status in STATUS_TITLES}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _family(rule: str | None) -> str | None:
    # A clause that met a fallback in one version and no position in the other is one finding
    # whose risk changed; a threshold on another term is a different finding.
    if rule is None:
        return None  # an engine that names no rule: any family
    if rule == "position" or rule.startswith("fallback:"):
        return "position"
    return "red_flag" if rule.startswith("red_flag:") else rule


def _same_anchor(a: Finding, b: Finding) -> bool:
    families = {_family(a.rule), _family(b.rule)}
    return (a.clause_type, a.kind) == (b.clause_type, b.kind) and (
        len(families) == 1 or None in families
    )


def _overlap(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


_PASSES: list[Callable[[Finding, Finding], bool]] = [
    lambda a, b: _same_anchor(a, b) and a.rule == b.rule and (a.start, a.end) == (b.start, b.end),
    lambda a, b: _same_anchor(a, b) and (a.start, a.end) == (b.start, b.end),
    lambda a, b: (
        _same_anchor(a, b) and a.kind != "missing" and _norm(a.source_text) == _norm(b.source_text)
    ),
    lambda a, b: _same_anchor(a, b) and _overlap(a, b),
    lambda a, b: (
        a.kind == b.kind
        and (a.start, a.end) == (b.start, b.end)
        and (a.clause_type in b.also_types or b.clause_type in a.also_types)
    ),
]


def match_findings(before: list[Finding], after: list[Finding]) -> list[Pair]:
    """Pair the findings of two analyses of one document (see the module docstring)."""
    partner: dict[int, int] = {}
    taken: set[int] = set()
    for same in _PASSES:
        for i, a in enumerate(before):
            if i in partner:
                continue
            j = next(
                (j for j, b in enumerate(after) if j not in taken and same(a, b)),
                None,
            )
            if j is not None:
                partner[i] = j
                taken.add(j)
    pairs: list[Pair] = [
        (a, after[partner[i]] if i in partner else None) for i, a in enumerate(before)
    ]
    pairs += [(None, b) for j, b in enumerate(after) if j not in taken]
    return pairs


def _status(a: Finding | None, b: Finding | None) -> ChangeStatus:
    if a is None:
        return "added"
    if b is None:
        return "removed"
    if a.risk != b.risk:
        return "risk_changed"
    if (a.deviation, a.recommendation) != (b.deviation, b.recommendation):
        return "reworded"
    return "unchanged"


def _position(change: FindingChange) -> tuple[int, int, str]:
    found = change.finding
    # Missing clauses have no place in the text: list them after the ones that do.
    return (1 if found.kind == "missing" else 0, found.start, found.clause_type)


def compare_findings(before: Analysis, after: Analysis) -> Comparison:
    changes = [
        FindingChange(_status(a, b), a, b)
        for a, b in match_findings(before.findings, after.findings)
    ]
    return Comparison(before, after, sorted(changes, key=_position))


def compare_analyses(store: Store, before_id: str, after_id: str) -> Comparison:
    """Compare two completed, stored analyses of the same document."""
    if before_id == after_id:
        raise ContractAnalyzerError("pick two different analyses to compare")
    before, after = store.load_analysis(before_id), store.load_analysis(after_id)
    for analysis in (before, after):
        if analysis.status != "completed":
            raise ContractAnalyzerError(
                f"analysis {analysis.analysis_id} is {analysis.status}, not completed:"
                " only complete analyses can be compared"
            )
    if before.document.sha256 != after.document.sha256:
        raise ContractAnalyzerError(
            f"{before.document.name} and {after.document.name} are different documents:"
            " compare analyses of the same document"
        )
    return compare_findings(before, after)


def rerun(
    services: Services,
    analysis_id: str,
    version_spec: str,
    on_event: Callable[[Event], None] | None = None,
) -> Analysis:
    """Analyse the stored original of an analysis again, against `version_spec` (NAME@N).

    The new analysis is stored like any other; a failed run raises with its error message."""
    earlier = services.store.load_analysis(analysis_id)
    stored_name, data = services.store.load_document(earlier.document.sha256)
    name = earlier.document.name or stored_name
    final = _final(runner.run(services, data, name, playbook=version_spec), on_event)
    if final.status != "completed":
        raise ContractAnalyzerError(
            f"re-running {name} against {version_spec} failed: {final.error}"
        )
    return final


def _final(events: Iterator[Event], on_event: Callable[[Event], None] | None) -> Analysis:
    final: Analysis | None = None
    for event in events:
        if on_event is not None:
            on_event(event)
        if isinstance(event, FinalEvent):
            final = event.analysis
    assert final is not None  # runner.run always ends with a final event
    return final
