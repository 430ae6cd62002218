"""The pieces under the Claude engine: the dated price table, the estimate, reading findings out
of partial tool JSON, and anchoring quotes back to exact offsets."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.llm.estimate import estimate
from core.llm.pricing import load_prices
from core.llm.schema import tool_definition
from core.llm.stream import ArrayItems, MalformedAnswer
from core.llm.text import anchor, neutralise
from core.models import Usage


def test_prices_follow_the_date_of_the_call() -> None:
    prices = load_prices()
    usage = Usage(input_tokens=1_000_000, cache_read_input_tokens=1_000_000)
    # Sonnet 5.5 cache reads were cut from $0.20 to $0.10 per million on 2026-10-07.
    assert prices.cost("claude-sonnet-5-5", usage, dt.date(2026, 10, 1)) == pytest.approx(2.20)
    assert prices.cost("claude-sonnet-5-5", usage, dt.date(2026, 11, 24)) == pytest.approx(2.10)
    assert prices.cost("claude-haiku-4-5-20251001", usage, dt.date(2026, 11, 24)) == 1.10
    assert prices.cost("claude-unknown-9", usage, dt.date(2026, 11, 24)) is None


def test_long_prompts_are_priced_per_request_at_the_higher_tier() -> None:
    prices = load_prices()
    small = Usage(input_tokens=100_000, output_tokens=1_000)
    large = Usage(input_tokens=100_001, output_tokens=1_000)
    on = dt.date(2026, 11, 24)
    assert prices.cost("claude-haiku-5-5", small, on) == pytest.approx(0.0105)
    assert prices.cost("claude-haiku-5-5", large, on) == pytest.approx(0.0525005)


def test_every_current_model_has_cache_prices() -> None:
    prices = load_prices()
    for name in ("claude-sonnet-5-5", "claude-opus-5-5", "claude-haiku-5-5", "claude-sonnet-4-6"):
        entry = prices.model(name)
        assert entry is not None, name
        latest = max(entry.prices, key=lambda p: p.from_)
        assert 0 < latest.cache_read < latest.input < latest.cache_write_5m < latest.cache_write_1h


def test_the_estimate_writes_the_cache_once_and_reads_it_after() -> None:
    prices = load_prices()
    est = estimate(prices, "claude-sonnet-5-5", 37_000, [700] * 20, 8, on=dt.date(2026, 11, 24))
    assert est.calls == 3
    # The first call writes the system prompt to the cache; the two after it read it back.
    assert est.usage.cache_creation_input_tokens > 10_000
    assert est.usage.cache_read_input_tokens == 2 * est.usage.cache_creation_input_tokens
    assert est.usage.output_tokens == 20 * 150
    assert est.cost_usd is not None and 0.03 < est.cost_usd < 0.12


def test_findings_are_read_out_of_partial_json_as_each_closes() -> None:
    items = [{"quote": 'a "quoted" {brace} [x]', "n": 1}, {"quote": "back\\slash }", "n": 2}]
    text = json.dumps({"findings": items})
    parser = ArrayItems()
    seen: list[object] = []
    for i in range(0, len(text), 7):
        seen += parser.feed(text[i : i + 7])
        if i + 7 < text.index('{"quote": "back'):
            assert seen == []  # nothing before the first object closes
    assert seen == items


def test_broken_json_inside_an_item_is_malformed() -> None:
    with pytest.raises(MalformedAnswer):
        ArrayItems().feed('{"findings": [{"quote": "x", "risk": }')


def test_quotes_anchor_through_spacing_and_hidden_characters() -> None:
    text = "Intro.\n\n4.  The Supplier\u200b may   terminate\nat any time."
    start = text.index("4.")
    span = anchor("The Supplier may terminate at any time.", text, start, len(text))
    assert span is not None
    assert text[span[0] : span[1]] == "The Supplier\u200b may   terminate\nat any time."
    assert anchor("The Customer may terminate", text, start, len(text)) is None
    assert anchor("Intro.", text, start, len(text)) is None  # outside the clause


def test_neutralise_removes_only_invisible_characters() -> None:
    hidden = "pay\u200b in \u202eforty\u2066 days\U000e0049\U000e0047\ue000\ufe01 ok"
    assert neutralise(hidden) == "pay in forty days ok"
    assert neutralise("Café — 30 días, “quoted”") == "Café — 30 días, “quoted”"


def test_the_tool_schema_is_self_contained() -> None:
    schema = tool_definition()["input_schema"]
    assert "$defs" not in json.dumps(schema) and "$ref" not in json.dumps(schema)
    item = schema["properties"]["findings"]["items"]
    assert set(item["required"]) >= {"clause_id", "quote", "chunk_ids", "risk"}
    assert item["properties"]["risk"]["enum"] == ["low", "medium", "high", "critical"]
