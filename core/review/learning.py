"""Learning from decisions: wording a reviewer dismissed as an acceptable risk becomes accepted
wording of the matching playbook position, in a new playbook version (with a change note), so
the same wording is not flagged again."""

from __future__ import annotations

from core.errors import ReviewError
from core.playbooks.accepted import is_accepted
from core.playbooks.editing import EditResult, create_version, with_check, with_rule
from core.playbooks.library import parse_playbook
from core.review.actions import load_review
from core.store import Store
from core.verdicts.findings import RULE_PREFIX


def default_note(document: str, position: str) -> str:
    return f"Accept wording from {document} for {position} (dismissed as an acceptable risk)"


def accept_wording(store: Store, analysis_id: str, finding_id: str, note: str) -> EditResult:
    """Add the finding's quote to its position's accepted wording, as the next version of the
    analysis's playbook (built on that playbook's latest version)."""
    analysis, review = load_review(store, analysis_id)
    item = next((r for r in review.findings if r.finding.id == finding_id), None)
    if item is None:
        raise ReviewError(f"no finding {finding_id!r} in this analysis")
    if (item.status, item.reason) != ("dismissed", "acceptable_risk"):
        raise ReviewError("only a finding dismissed as an acceptable risk can teach the playbook")
    finding = item.finding
    if finding.end <= finding.start or not finding.source_text.strip():
        raise ReviewError("a missing clause has no wording to accept")
    if analysis.playbook is None:
        raise ReviewError("this analysis ran without a playbook")
    latest = store.get_version(analysis.playbook.name, drafts=True)
    playbook = parse_playbook(latest.content, latest.id)
    quote = " ".join(finding.source_text.split())
    if finding.rule and finding.rule.startswith(RULE_PREFIX):
        check_id = finding.rule.removeprefix(RULE_PREFIX)
        check = next((c for c in playbook.checks if c.id == check_id), None)
        if check is None:
            raise ReviewError(f"{latest.id} no longer has the check {finding.clause_type!r}")
        _not_yet(quote, check.examples.accepted, latest.id)
        examples = check.examples.model_copy(update={"accepted": [*check.examples.accepted, quote]})
        content = with_check(
            latest.content, check.model_copy(update={"examples": examples}), check.id
        )
    else:
        rule = playbook.rule_for(finding.clause_type)
        if rule is None:
            raise ReviewError(f"{latest.id} no longer has a position on {finding.clause_type}")
        _not_yet(quote, rule.accepted, latest.id)
        content = with_rule(
            latest.content, rule.model_copy(update={"accepted": [*rule.accepted, quote]})
        )
    return create_version(store, content, note)


def _not_yet(quote: str, accepted: list[str], version: str) -> None:
    if is_accepted(quote, accepted):
        raise ReviewError(f"this wording is already accepted in {version}")
