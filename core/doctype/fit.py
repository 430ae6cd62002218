"""Whether a playbook is written for the kind of contract being reviewed, and what to tell the
reviewer when it is not."""

from __future__ import annotations

from core.doctype.detect import KIND_PLURALS
from core.models import ContractType
from core.playbooks.schema import Playbook

# Below this confidence the reading of the kind is too weak to second-guess the user's choice.
MIN_CONFIDENCE = 0.7


def playbook_mismatch(playbook: Playbook, found: ContractType) -> str | None:
    """A warning for the reviewer when the playbook is written for other kinds of contract than
    this one (None when it fits, declares no kinds, or the kind is uncertain)."""
    if not playbook.contract_types or found.type in playbook.contract_types:
        return None
    if found.confidence < MIN_CONFIDENCE:
        return None
    written_for = _join([KIND_PLURALS[kind] for kind in playbook.contract_types])
    how = f"its title: “{found.title}”" if found.title else "its wording"
    return (
        f"This looks like a {found.label} ({how}), but the playbook “{playbook.title}” "
        f"({playbook.name}) is "
        f"written for {written_for}. Its findings about wording still apply where a clause "
        "matches; clauses it requires were not reported as missing, since this kind of contract "
        "need not have them. Choose a playbook for this kind of contract if there is one."
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
