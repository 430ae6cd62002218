"""The dated Claude price table (data/pricing/anthropic.yaml) and the cost of one call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import SettingsError
from core.models import Usage
from core.settings import DATA_DIR
from core.yamltext import load_yaml

PRICE_FILE = DATA_DIR / "pricing" / "anthropic.yaml"
MILLION = Decimal(1_000_000)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rates(_Strict):
    """USD per million tokens."""

    input: Decimal
    cache_write_5m: Decimal
    cache_write_1h: Decimal
    cache_read: Decimal
    output: Decimal


class LongPrompt(Rates):
    above_tokens: int


class PricePeriod(Rates):
    from_: dt.date = Field(alias="from")
    long_prompt: LongPrompt | None = None


class ModelPrices(_Strict):
    forced_tool_choice: bool = True
    prices: list[PricePeriod]


class PriceTable(_Strict):
    version: str
    checked: dt.date
    source: str
    models: dict[str, ModelPrices]
    aliases: dict[str, str] = Field(default_factory=dict)

    def model(self, name: str) -> ModelPrices | None:
        return self.models.get(self.aliases.get(name, name))

    def rates(self, model: str, usage: Usage, on: dt.date) -> Rates | None:
        """The rates in force for `model` on `on`, long-prompt tier applied per request."""
        entry = self.model(model)
        if entry is None:
            return None
        periods = [p for p in entry.prices if p.from_ <= on] or entry.prices[:1]
        period = max(periods, key=lambda p: p.from_)
        if period.long_prompt is not None and usage.prompt_tokens > period.long_prompt.above_tokens:
            return period.long_prompt
        return period

    def cost(self, model: str, usage: Usage, on: dt.date) -> float | None:
        """USD for one call (5-minute cache writes), or None when the model is not in the table."""
        rates = self.rates(model, usage, on)
        if rates is None:
            return None
        total = (
            usage.input_tokens * rates.input
            + usage.cache_creation_input_tokens * rates.cache_write_5m
            + usage.cache_read_input_tokens * rates.cache_read
            + usage.output_tokens * rates.output
        ) / MILLION
        return float(round(total, 8))


@lru_cache(maxsize=4)
def load_prices(path: Path = PRICE_FILE) -> PriceTable:
    try:
        return PriceTable.model_validate(load_yaml(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise SettingsError(f"cannot read the Claude price table {path}: {exc}") from None


def money(usd: float) -> str:
    """Dollars to the cent, or finer when the amount has fractions of a cent."""
    return f"${usd:,.2f}" if round(usd, 2) == usd else f"${usd:,.4f}".rstrip("0")
