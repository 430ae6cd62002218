"""The Analyze page with an API key configured: the engine choice, the cost estimate before the
run, Claude's findings and cost after it, and a fallback told plainly — the real SDK against the
local fake Messages API, through AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.store import Store
from tests.conftest import open_app_page
from tests.fake_anthropic import FakeAnthropic, Reply
from tests.test_claude_engine import CONTRACT

pytestmark = pytest.mark.slow


@pytest.fixture
def keyed(db_path: Path, anthropic_fake: FakeAnthropic, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANTHROPIC_API_KEY", anthropic_fake.api_key)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", anthropic_fake.base_url)
    return db_path


def paste_contract(at):  # type: ignore[no-untyped-def]
    at.radio(key="analyze_source").set_value("Paste text").run()
    at.text_area(key="analyze_text").input(CONTRACT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_claude_is_offered_estimated_and_costed(keyed: Path, anthropic_fake: FakeAnthropic) -> None:
    at = paste_contract(open_app_page("pages/analyze.py"))
    engine = at.radio(key="analyze_engine")
    assert engine.value == "claude" and engine.options == [
        "Claude (claude-sonnet-5-5)",
        "Offline rules (deterministic, no API key, no cost)",
    ]
    (estimate,) = [i.value.replace("\\", "") for i in at.info if "estimate" in i.value]
    assert "7 clauses in 1 request, about" in estimate and "≈$0.0" in estimate
    at.button(key="analyze_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "engine claude:claude-sonnet-5-5" in captions and "Claude cost $" in captions
    assert len(anthropic_fake.requests) == 1
    analysis = at.session_state["analyze_result"].analysis
    assert analysis.usage.cost_usd > 0
    store = Store(keyed)
    try:
        (call,) = store.llm_calls(analysis.analysis_id)
    finally:
        store.close()
    assert call.outcome == "ok" and call.cost_usd == analysis.usage.cost_usd


def test_the_offline_choice_sends_nothing(keyed: Path, anthropic_fake: FakeAnthropic) -> None:
    at = paste_contract(open_app_page("pages/analyze.py"))
    at.radio(key="analyze_engine").set_value("offline").run()
    assert not [i for i in at.info if "estimate" in i.value]
    at.button(key="analyze_run").click().run()
    assert not at.exception and not anthropic_fake.requests
    assert "engine offline" in " ".join(c.value for c in at.caption).replace("\\", "")


def test_a_fallback_is_explained_on_the_result(keyed: Path, anthropic_fake: FakeAnthropic) -> None:
    anthropic_fake.script.extend(
        [Reply(status=529, error_type="overloaded_error", headers={"retry-after-ms": "5"})] * 3
    )
    at = paste_contract(open_app_page("pages/analyze.py"))
    at.button(key="analyze_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(w.value for w in at.warning) + " ".join(m.value for m in at.markdown)
    shown = shown.replace("\\", "")
    assert "stayed overloaded" in shown and "offline engine" in shown
