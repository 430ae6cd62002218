"""Which engine judges, from the settings: offline, or Claude when asked for (or `auto` with a
key). The Anthropic client is built here, once, and passed in."""

from __future__ import annotations

import datetime as dt

from core.engine.base import Engine
from core.engine.offline import OfflineEngine
from core.errors import SettingsError
from core.settings import Settings
from core.store import Store


def build_engine(settings: Settings, store: Store) -> Engine:
    key = settings.anthropic_api_key.get_secret_value().strip()
    if settings.engine == "offline" or (settings.engine == "auto" and not key):
        return OfflineEngine()
    if not key:
        raise SettingsError(
            "the Claude engine needs an API key: set ANTHROPIC_API_KEY (or use --engine offline)"
        )
    import anthropic  # only a Claude run pays for the SDK import

    from core.engine.claude import ClaudeConfig, ClaudeEngine
    from core.llm.pricing import load_prices

    prices = load_prices()
    if prices.model(settings.claude_model) is None:
        raise SettingsError(
            f"no price for {settings.claude_model} in data/pricing/anthropic.yaml: add the"
            " model's prices there (or choose another CA_CLAUDE_MODEL) so its cost is known"
        )
    client = anthropic.Anthropic(
        api_key=key,
        base_url=settings.anthropic_base_url or None,
        max_retries=settings.claude_max_retries,
        timeout=settings.claude_timeout_s,
    )
    config = ClaudeConfig(
        model=settings.claude_model,
        batch_clauses=settings.claude_batch_clauses,
        max_tokens=settings.claude_max_tokens,
        budget_usd=settings.claude_budget_usd,
        daily_tokens=settings.claude_daily_tokens,
        effort=settings.claude_effort or None,
    )
    return ClaudeEngine(client, config, prices, tokens_today=lambda: _tokens_today(store))


def available_engines(settings: Settings, store: Store, current: Engine) -> dict[str, Engine]:
    """The engines a user may choose between, best first: Claude only when a key is set."""
    offline = current if isinstance(current, OfflineEngine) else OfflineEngine()
    if not settings.anthropic_api_key.get_secret_value().strip():
        return {"offline": offline}
    if isinstance(current, OfflineEngine):
        current = build_engine(settings.model_copy(update={"engine": "claude"}), store)
    return {"claude": current, "offline": offline}


def _tokens_today(store: Store) -> int:
    midnight = dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time())
    return store.llm_tokens_since(midnight)
