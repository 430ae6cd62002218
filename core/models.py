"""Data that crosses a boundary: the analysis object of the CLI's JSON contract and its parts.

Field names here are a public contract (see ARCHITECTURE.md): extend, never rename or drop.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RiskLevel = Literal["low", "medium", "high", "critical"]
RISK_ORDER: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3}
# "unchecked": a playbook threshold that this copy of the contract does not let us check (the
# value is redacted or an unfilled placeholder): a low-risk note, not a deviation.
FindingKind = Literal["deviation", "missing", "red_flag", "unchecked"]
AnalysisStatus = Literal["running", "completed", "failed", "interrupted"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentInfo(Model):
    name: str
    sha256: str
    chars: int
    pages: int | None = None
    text: str
    format: str = "txt"
    warnings: list[str] = Field(default_factory=list)  # e.g. "x.pdf is really a Word document"


class PlaybookRef(Model):
    name: str
    version: int
    version_id: str


class Label(Model):
    type: str
    start: int
    end: int
    score: float


class Clause(Model):
    id: str
    start: int
    end: int
    number: str | None = None
    heading: str | None = None
    section: str | None = None  # heading of the enclosing top-level section, if any
    page: int | None = None
    labels: list[Label] = Field(default_factory=list)


class TermEvidence(Model):
    start: int
    end: int
    text: str


class KeyTerms(Model):
    """Normalised key terms; `evidence` maps a field name to the spans it came from.

    A field listed in `redacted` or `unfilled` has no value: the copy blacks it out or leaves a
    template placeholder where it belongs."""

    parties: list[str] = Field(default_factory=list)
    document_name: str | None = None
    agreement_date: str | None = None  # ISO 8601
    effective_date: str | None = None
    expiration_date: str | None = None
    initial_term_months: int | None = None
    renewal_term: str | None = None  # e.g. "1 year"
    renewal_term_months: int | None = None
    notice_period_days: int | None = None
    governing_law: str | None = None
    liability_cap: str | None = None  # e.g. "12 months of fees", "$1,000,000", "uncapped"
    liability_cap_months: float | None = None
    liability_cap_amount: float | None = None
    payment_terms_days: int | None = None
    evidence: dict[str, list[TermEvidence]] = Field(default_factory=dict)
    # Fields whose value this copy does not show, left None above; `evidence` holds the span of
    # the redaction ("[***]") or the template placeholder ("{governing_law}", "[Customer Name]").
    redacted: list[str] = Field(default_factory=list)
    unfilled: list[str] = Field(default_factory=list)


class ChunkRef(Model):
    chunk_id: str
    source: str
    version: int
    similarity: float


class Finding(Model):
    id: str
    clause_id: str | None
    clause_type: str
    kind: FindingKind
    risk: RiskLevel
    source_text: str
    start: int
    end: int
    deviation: str
    recommendation: str
    retrieved_chunks: list[ChunkRef] = Field(default_factory=list)
    rule: str | None = None  # which playbook rule produced it, e.g. "threshold:notice_period_days"
    also_types: list[str] = Field(default_factory=list)  # other rules that flagged the same text


class GuardrailWarning(Model):
    kind: str
    message: str
    finding_id: str | None = None
    clause_id: str | None = None


class InputWarning(Model):
    kind: str
    start: int
    end: int
    excerpt: str
    score: float


TOKEN_FIELDS = (
    "input_tokens",
    "output_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
)


class Usage(Model):
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    cost_usd: float = 0.0

    @property
    def prompt_tokens(self) -> int:
        """Every input token, whether billed in full, written to or read from the cache."""
        return self.input_tokens + self.cache_creation_input_tokens + self.cache_read_input_tokens

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.output_tokens

    def add(self, other: Usage) -> None:
        for name in TOKEN_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.cost_usd = round(self.cost_usd + other.cost_usd, 8)


LLMOutcome = Literal["ok", "malformed", "cut", "error"]


class LLMCall(Usage):
    """One Messages API call, with its usage: a row of the `llm_calls` ledger."""

    id: str
    model: str
    request_id: str | None = None
    price_table_version: str | None = None
    latency_ms: float | None = None
    time_to_first_token_ms: float | None = None
    stop_reason: str | None = None
    outcome: LLMOutcome = "ok"
    detail: str | None = None  # why a call did not end "ok"
    clause_ids: list[str] = Field(default_factory=list)


class Timings(Model):
    load: float = 0.0
    extract: float = 0.0
    embed: float = 0.0
    retrieve: float = 0.0
    analyze: float = 0.0
    first_finding: float | None = None
    total: float = 0.0


ContractKind = Literal["nda", "saas", "services", "licence", "distribution", "other"]


class ContractType(Model):
    """What kind of contract the document is (core/doctype), and how sure that is."""

    type: ContractKind
    label: str  # in plain words, e.g. "non-disclosure agreement"
    confidence: float  # 0..1
    basis: Literal["title", "wording"]  # its title names the kind, or its vocabulary suggests it
    title: str | None = None  # the document's title, when it was read from the title
    # Set when the playbook is written for other kinds of contract: what the reviewer is told.
    playbook_warning: str | None = None


VerdictKind = Literal["states", "contradicts", "silent"]


class Evidence(Model):
    start: int
    end: int
    text: str  # == document.text[start:end]


class Verdict(Model):
    """How the contract stands on one check of the playbook (core/verdicts)."""

    check: str  # the check's id
    verdict: VerdictKind
    confidence: float  # 0..1
    evidence: list[Evidence] = Field(default_factory=list)  # empty when silent
    finding_id: str | None = None  # the finding it raised, when it goes against the company
    # Extensions, so a reader needs no playbook to show the checklist.
    name: str = ""  # the check's title (or id in words)
    statement: str = ""
    wanted: bool = True
    required: bool = False


class Analysis(Model):
    analysis_id: str
    status: AnalysisStatus
    error: str | None = None
    created_at: str | None = None
    document: DocumentInfo
    playbook: PlaybookRef | None = None
    engine: str = "offline"
    clauses: list[Clause] = Field(default_factory=list)
    key_terms: KeyTerms = Field(default_factory=KeyTerms)
    findings: list[Finding] = Field(default_factory=list)
    guardrail_warnings: list[GuardrailWarning] = Field(default_factory=list)
    input_warnings: list[InputWarning] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    timings_ms: Timings = Field(default_factory=Timings)
    parameters: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    user: str | None = None  # who ran it, when the dashboard has sign-in; None otherwise
    contract_type: ContractType | None = None  # None until read (or for older analyses)
    verdicts: list[Verdict] = Field(default_factory=list)  # one per check of the playbook


# A reviewer's decisions on findings (core/review): append-only events, stored with the analysis.
Action = Literal["accept", "dismiss", "edit", "reopen", "note"]  # note: only a note
DismissReason = Literal["false_alarm", "acceptable_risk", "already_agreed"]


class Decision(Model):
    """One reviewer's decision on one finding, as stored."""

    analysis_id: str
    finding_id: str
    action: Action
    reason: DismissReason | None = None  # dismiss only
    risk: RiskLevel | None = None  # edit: the risk the reviewer sets
    recommendation: str | None = None  # edit: the wording the reviewer asks for instead
    note: str | None = None
    user: str | None = None
    created_at: str | None = None  # ISO 8601, UTC; set by the store
