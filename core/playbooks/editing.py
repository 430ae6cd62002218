"""Editing playbooks: validate edited or uploaded YAML and store it as a new immutable version
with a required change note (through `library.import_playbook`).

An edit whose rules equal the latest version's (only comments or layout differ) is reported as
"no change" and nothing is stored, so a round trip through an editor never makes an empty
version; content identical to an older version is reported as that version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import NotFound, PlaybookError
from core.playbooks.diff import WHOLE_PLAYBOOK, RuleChange, diff_playbooks
from core.playbooks.library import import_playbook, parse_playbook
from core.playbooks.schema import Playbook
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
        if self.latest is None:
            return f"valid: a new playbook {pb.name!r} with {len(pb.rules)} rules"
        if self.unchanged:
            return f"valid, but no change: the rules equal {self.latest.id}"
        rules = [c for c in self.changes if c.clause_type != WHOLE_PLAYBOOK]
        if not rules:
            return (
                f"valid: {len(pb.rules)} rules; only the playbook's own details (title, "
                "description, side, contract kinds) or the rule order differ"
            )
        n = len(rules)
        kinds = "clause type differs" if n == 1 else "clause types differ"
        also = " (and the playbook's own details)" if len(rules) < len(self.changes) else ""
        return f"valid: {len(pb.rules)} rules; {n} {kinds}{also} from {self.latest.id}"


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
        latest = store.get_version(playbook.name)
    except NotFound:
        return EditCheck(playbook, None)
    old = parse_playbook(latest.content, latest.id)
    return EditCheck(playbook, latest, old == playbook, diff_playbooks(old, playbook))


def create_version(store: Store, content: str, note: str, source: str = SOURCE) -> EditResult:
    """Store an edit as the next version of its playbook; the change note is required."""
    if not note.strip():
        raise PlaybookError("a change note is required: say why this version exists")
    check = check_edit(store, content, source)
    if check.unchanged and check.latest is not None:
        return EditResult(
            check.latest,
            False,
            f"no change: the rules equal {check.latest.id}, so no version was created",
        )
    info, created = import_playbook(store, content, note, source)
    if not created:
        return EditResult(info, False, f"no change: this content is already stored as {info.id}")
    return EditResult(info, True, f"created {info.id} ({info.sha256[:12]})")
