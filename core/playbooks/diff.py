"""Differences between two playbook versions: what it says about itself (title, description,
side, the kinds of contract it is for), then per clause type: rules added, removed, changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

from core.playbooks.schema import Check, ClauseRule, Playbook


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str
    added: tuple[str, ...] = ()  # list fields: items only in the new version
    removed: tuple[str, ...] = ()  # list fields: items only in the old version

    @property
    def text_diff(self) -> str:
        """Word-level difference: [-removed-] {+added+}."""
        out = []
        before, after = self.before.split(), self.after.split()
        matcher = difflib.SequenceMatcher(a=before, b=after)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            old, new = " ".join(before[a1:a2]), " ".join(after[b1:b2])
            if op == "equal":
                out.append(old)
            if op in ("delete", "replace"):
                out.append(f"[-{old}-]")
            if op in ("insert", "replace"):
                out.append(f"{{+{new}+}}")
        return " ".join(out)


@dataclass(frozen=True)
class RuleChange:
    clause_type: str
    status: Literal["added", "removed", "changed"]
    changes: list[FieldChange] = field(default_factory=list)


def _items(rule: ClauseRule) -> dict[str, list[str]]:
    return {
        "fallbacks": [f"{fb.text} [{fb.risk}]" for fb in rule.fallbacks],
        "red_flags": [f"{rf.description} /{rf.pattern}/ [{rf.risk}]" for rf in rule.red_flags],
        "thresholds": [
            f"{th.term} {th.op} {th.value:g} [{th.risk}] — {th.description}"
            for th in rule.thresholds
        ],
    }


def _scalars(rule: ClauseRule) -> dict[str, str]:
    return {
        "risk": rule.risk,
        "required": "yes" if rule.required else "no",
        "standard": rule.standard.text,
        "recommendation": rule.recommendation,
    }


def diff_rules(old: ClauseRule, new: ClauseRule) -> list[FieldChange]:
    changes = [
        FieldChange(name, before, after)
        for (name, before), after in zip(_scalars(old).items(), _scalars(new).values(), strict=True)
        if before != after
    ]
    old_items, new_items = _items(old), _items(new)
    for name in old_items:
        before, after = old_items[name], new_items[name]
        if before != after:
            changes.append(
                FieldChange(
                    name,
                    "\n".join(before),
                    "\n".join(after),
                    added=tuple(i for i in after if i not in before),
                    removed=tuple(i for i in before if i not in after),
                )
            )
    return changes


# The `clause_type` of the change that concerns the playbook as a whole.
WHOLE_PLAYBOOK = "Whole playbook"


def _playbook_changes(old: Playbook, new: Playbook) -> list[FieldChange]:
    changes = [
        FieldChange(name, before, after)
        for name, before, after in (
            ("title", old.title, new.title),
            ("description", old.description, new.description),
            ("perspective", old.perspective, new.perspective),
        )
        if before != after
    ]
    before, after = list(old.contract_types), list(new.contract_types)
    if before != after:
        changes.append(
            FieldChange(
                "contract_types",
                ", ".join(before) or "any",
                ", ".join(after) or "any",
                added=tuple(k for k in after if k not in before),
                removed=tuple(k for k in before if k not in after),
            )
        )
    return changes


def diff_playbooks(old: Playbook, new: Playbook) -> list[RuleChange]:
    old_rules = {r.type: r for r in old.rules}
    new_rules = {r.type: r for r in new.rules}
    result: list[RuleChange] = []
    whole = _playbook_changes(old, new)
    if whole:
        result.append(RuleChange(WHOLE_PLAYBOOK, "changed", whole))
    for clause_type in [*old_rules, *(t for t in new_rules if t not in old_rules)]:
        if clause_type not in new_rules:
            result.append(RuleChange(clause_type, "removed"))
        elif clause_type not in old_rules:
            result.append(RuleChange(clause_type, "added"))
        else:
            changes = diff_rules(old_rules[clause_type], new_rules[clause_type])
            if changes:
                result.append(RuleChange(clause_type, "changed", changes))
    old_checks = {c.id: c for c in old.checks}
    new_checks = {c.id: c for c in new.checks}
    for check_id in [*old_checks, *(c for c in new_checks if c not in old_checks)]:
        # A check's change is listed under its name ("Check: …"), beside the clause types.
        title = f"Check: {(new_checks.get(check_id) or old_checks[check_id]).name}"
        if check_id not in new_checks:
            result.append(RuleChange(title, "removed"))
        elif check_id not in old_checks:
            result.append(RuleChange(title, "added"))
        else:
            changes = diff_checks(old_checks[check_id], new_checks[check_id])
            if changes:
                result.append(RuleChange(title, "changed", changes))
    return result


def diff_checks(old: Check, new: Check) -> list[FieldChange]:
    changes = []
    for name in ("title", "statement", "wanted", "required", "risk", "recommendation"):
        before, after = str(getattr(old, name) or ""), str(getattr(new, name) or "")
        if before != after:
            changes.append(FieldChange(name, before, after))
    for name in ("says", "contradicts"):
        before_items = list(getattr(old.examples, name))
        after_items = list(getattr(new.examples, name))
        if before_items != after_items:
            changes.append(
                FieldChange(
                    f"examples.{name}",
                    "\n".join(before_items),
                    "\n".join(after_items),
                    added=tuple(x for x in after_items if x not in before_items),
                    removed=tuple(x for x in before_items if x not in after_items),
                )
            )
    if old.clause_types != new.clause_types:
        changes.append(
            FieldChange("clause_types", ", ".join(old.clause_types), ", ".join(new.clause_types))
        )
    return changes
