"""Editing playbooks: validate edited or uploaded YAML and store it as a new immutable version
with a required change note (through `library.import_playbook`).

An edit whose rules equal the latest version's (only comments or layout differ) is reported as
"no change" and nothing is stored, so a round trip through an editor never makes an empty
version; content identical to an older version is reported as that version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from pydantic import ValidationError

from core.errors import NotFound, PlaybookError
from core.playbooks.diff import WHOLE_PLAYBOOK, RuleChange, diff_playbooks
from core.playbooks.library import import_playbook, parse_playbook
from core.playbooks.schema import Check, ClauseRule, Playbook
from core.store import Store, VersionInfo

MAX_PLAYBOOK_BYTES = 2_000_000
SOURCE = "edited playbook"


@dataclass(frozen=True)
class EditCheck:
    """A valid edit: the playbook, the latest stored version of its name, and what differs."""

    playbook: Playbook
    latest: VersionInfo | None  # None: the edit starts a new playbook
    unchanged: bool = False  # the parsed playbook equals the latest version's
    changes: list[RuleChange] = field(default_factory=list)

    @property
    def summary(self) -> str:
        pb = self.playbook
        size = f"{len(pb.rules)} rules" + (f" and {len(pb.checks)} checks" if pb.checks else "")
        if self.latest is None:
            return f"valid: a new playbook {pb.name!r} with {size}"
        if self.unchanged:
            return f"valid, but no change: the rules equal {self.latest.id}"
        rules = [c for c in self.changes if c.clause_type != WHOLE_PLAYBOOK]
        if not rules:
            return (
                f"valid: {size}; only the playbook's own details (title, "
                "description, side, contract kinds) or the rule order differ"
            )
        n = len(rules)
        kinds = "clause type or check differs" if n == 1 else "clause types or checks differ"
        if not any(c.clause_type.startswith("Check: ") for c in rules):
            kinds = "clause type differs" if n == 1 else "clause types differ"
        also = " (and the playbook's own details)" if len(rules) < len(self.changes) else ""
        return f"valid: {size}; {n} {kinds}{also} from {self.latest.id}"


def build_check(fields: dict[str, object]) -> Check:
    """A check from a form's fields; a field that does not fit is a PlaybookError in plain words."""
    try:
        return Check.model_validate(fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"]) or "check"
        if where == "id":
            raise PlaybookError(
                "the id must be lower-case letters, digits and '-' (e.g. return-or-destroy)"
            ) from None
        raise PlaybookError(f"{where}: {err['msg']}") from None


def with_check(content: str, check: Check, replaces: str | None = None) -> str:
    """The playbook YAML `content` with `check` in place of the check `replaces` (its id before
    the edit), or added at the end when `replaces` is None: what the dashboard's check form saves.
    The YAML is written anew from the parsed playbook, so comments are not kept."""
    playbook = parse_playbook(content, SOURCE)
    checks = list(playbook.checks)
    at = next((i for i, c in enumerate(checks) if c.id == replaces), None)
    if replaces is not None and at is None:
        raise PlaybookError(f"the playbook has no check {replaces!r}")
    if at is None:
        checks.append(check)
    else:
        checks[at] = check
    data = playbook.model_dump(mode="json", exclude_defaults=True)
    data["checks"] = [c.model_dump(mode="json", exclude_defaults=True) for c in checks]
    for item, edited in zip(data["checks"], checks, strict=True):
        item["wanted"] = edited.wanted  # always written: a reader should not need the default
    new = str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    parse_playbook(new, SOURCE)  # the result must itself be a valid playbook (unique ids ...)
    return new


def with_rule(content: str, rule: ClauseRule) -> str:
    """The playbook YAML `content` with the rule for `rule.type` replaced by `rule` (comments are
    not kept, as with `with_check`)."""
    playbook = parse_playbook(content, SOURCE)
    at = next((i for i, r in enumerate(playbook.rules) if r.type == rule.type), None)
    if at is None:
        raise PlaybookError(f"the playbook has no rule for {rule.type!r}")
    data = playbook.model_dump(mode="json", exclude_defaults=True)
    data["rules"][at] = rule.model_dump(mode="json", exclude_defaults=True)
    new = str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    parse_playbook(new, SOURCE)
    return new


@dataclass(frozen=True)
class EditResult:
    version: VersionInfo
    created: bool
    message: str


def read_upload(data: bytes, filename: str) -> str:
    """The text of an uploaded playbook file (UTF-8, optional BOM)."""
    if len(data) > MAX_PLAYBOOK_BYTES:
        raise PlaybookError(f"{filename} is larger than {MAX_PLAYBOOK_BYTES:,} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlaybookError(f"{filename} is not UTF-8 text: upload a YAML playbook") from None


def check_edit(store: Store, content: str, source: str = SOURCE) -> EditCheck:
    """Validate YAML text and say how it differs from the latest version of its playbook."""
    if not content.strip():
        raise PlaybookError(f"{source} is empty: paste or upload a playbook in YAML")
    playbook = parse_playbook(content, source)
    try:
        latest = store.get_version(playbook.name, drafts=True)
    except NotFound:
        return EditCheck(playbook, None)
    old = parse_playbook(latest.content, latest.id)
    return EditCheck(playbook, latest, old == playbook, diff_playbooks(old, playbook))


def create_version(
    store: Store, content: str, note: str, source: str = SOURCE, draft: bool = True
) -> EditResult:
    """Store an edit as the next version of its playbook, a draft until it is published (so it
    does not become everyone's default at once); the change note is required."""
    if not note.strip():
        raise PlaybookError("a change note is required: say why this version exists")
    check = check_edit(store, content, source)
    if check.unchanged and check.latest is not None:
        return EditResult(
            check.latest,
            False,
            f"no change: the rules equal {check.latest.id}, so no version was created",
        )
    info, created = import_playbook(store, content, note, source, draft)
    if not created:
        return EditResult(info, False, f"no change: this content is already stored as {info.id}")
    kind = "a draft: publish it to make it the default" if info.draft else "published"
    return EditResult(info, True, f"created {info.id} ({info.sha256[:12]}), {kind}")
