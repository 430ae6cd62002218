"""The playbook YAML format, as pydantic models (documented in docs/playbook-format.md).

A playbook states, per clause type, the company's standard position, ordered fallbacks, red
flags, numeric thresholds on key terms, whether the clause is required, the risk when the rule is
violated, and the language to ask for instead.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.models import ContractKind, RiskLevel

ThresholdTerm = Literal[
    "notice_period_days",
    "payment_terms_days",
    "liability_cap_months",
    "renewal_term_months",
    "initial_term_months",
]
Comparison = Literal[">=", "<=", ">", "<", "=="]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_patterns(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad pattern {pattern!r}: {exc}") from None
    return patterns


class Position(_Strict):
    text: str = Field(min_length=1, description="the position in plain words")
    accept_if: list[str] = Field(
        default_factory=list,
        description="regexes (case-insensitive); a clause matching any of them meets this position",
    )

    _patterns = field_validator("accept_if")(_check_patterns)


class Fallback(Position):
    risk: RiskLevel = Field("low", description="risk of a clause that only meets this fallback")


class RedFlag(_Strict):
    pattern: str = Field(min_length=1, description="regex (case-insensitive)")
    description: str = Field(min_length=1)
    risk: RiskLevel

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        _check_patterns([value])
        return value


class Threshold(_Strict):
    term: ThresholdTerm
    op: Comparison
    value: float
    risk: RiskLevel
    description: str = Field(min_length=1)

    def holds(self, actual: float) -> bool:
        return {
            ">=": actual >= self.value,
            "<=": actual <= self.value,
            ">": actual > self.value,
            "<": actual < self.value,
            "==": actual == self.value,
        }[self.op]


class ClauseRule(_Strict):
    type: str = Field(min_length=1, description="clause type name from the taxonomy")
    required: bool = False
    risk: RiskLevel = Field(description="risk when the clause is missing or misses every position")
    standard: Position
    fallbacks: list[Fallback] = Field(default_factory=list)
    red_flags: list[RedFlag] = Field(default_factory=list)
    thresholds: list[Threshold] = Field(default_factory=list)
    recommendation: str = Field(min_length=1, description="language to ask for")
    accepted: list[str] = Field(
        default_factory=list,
        description="wording a reviewer accepted for this clause type: not flagged again",
    )


class CheckExamples(_Strict):
    says: list[str] = Field(default_factory=list, description="sentences that state the position")
    contradicts: list[str] = Field(default_factory=list, description="sentences that go against it")
    accepted: list[str] = Field(
        default_factory=list,
        description="wording a reviewer accepted: a sentence with it is never a finding again",
    )


class Check(_Strict):
    """A position in plain words, judged for every contract: does it state it, contradict it,
    or say nothing about it? (core/verdicts)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    title: str | None = Field(None, description="a short name shown to reviewers")
    statement: str = Field(min_length=1, description="the position, in plain words")
    wanted: bool = Field(True, description="true: we want the contract to state it")
    required: bool = Field(False, description="with wanted, silence is a `missing` finding")
    risk: RiskLevel = "medium"
    clause_types: list[str] = Field(default_factory=list, description="where to look (a hint)")
    examples: CheckExamples = Field(default_factory=CheckExamples)
    recommendation: str = Field(min_length=1, description="language to ask for")

    @property
    def name(self) -> str:
        """What a reviewer sees: its title, else its id in words."""
        return self.title or self.id.replace("-", " ").capitalize()


class Playbook(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    title: str = Field(min_length=1)
    description: str = ""
    perspective: Literal["customer", "vendor", "mutual"] = "customer"
    # The kinds of contract it is written for (core/doctype); empty: any kind.
    contract_types: list[ContractKind] = Field(default_factory=list)
    rules: list[ClauseRule] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_types(self) -> Playbook:
        if not self.rules and not self.checks:
            raise ValueError("a playbook needs at least one rule or check")
        seen: set[str] = set()
        for rule in self.rules:
            if rule.type in seen:
                raise ValueError(f"clause type {rule.type!r} has more than one rule")
            seen.add(rule.type)
        ids: set[str] = set()
        for check in self.checks:
            if check.id in ids:
                raise ValueError(f"check id {check.id!r} is used more than once")
            ids.add(check.id)
        return self

    def rule_for(self, clause_type: str) -> ClauseRule | None:
        return next((r for r in self.rules if r.type == clause_type), None)
