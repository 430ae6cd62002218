"""Reading YAML (playbooks, the taxonomy, the price table) with libyaml's C parser when PyYAML
has it: the pure-Python parser spent ~1 s of a fresh database's first page on the bundled
playbooks. Same safe subset, same errors (yaml.YAMLError with a problem mark)."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load(text)`, faster."""
    return yaml.load(text, Loader=_LOADER)
