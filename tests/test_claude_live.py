"""One review by the real Claude API, run only when ANTHROPIC_API_KEY is set in the environment
that starts pytest (it costs about a cent). Everything else is tested against the local fake."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.pipeline import runner
from core.pipeline.events import FinalEvent
from core.pipeline.services import open_services
from core.settings import Settings
from tests.conftest import LIVE_API_KEY
from tests.fakes import FakeEmbedder
from tests.test_claude_engine import CONTRACT

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not LIVE_API_KEY, reason="live test: ANTHROPIC_API_KEY is not set"),
]


def test_the_real_api_reviews_a_contract_within_the_guardrails(tmp_path: Path) -> None:
    env = {
        "CA_DB_PATH": str(tmp_path / "live.duckdb"),
        "ANTHROPIC_API_KEY": LIVE_API_KEY,
        "CA_ENGINE": "claude",
        "CA_CLAUDE_BUDGET_USD": "0.25",
    }
    services = open_services(Settings.from_env(env), embedder=FakeEmbedder())
    try:
        final = list(runner.run(services, CONTRACT.encode(), "msa.txt"))[-1]
        assert isinstance(final, FinalEvent)
        analysis = final.analysis
        calls = services.store.llm_calls(analysis.analysis_id)
    finally:
        services.close()
    assert analysis.status == "completed" and analysis.engine.startswith("claude:")
    assert calls and calls[0].outcome == "ok" and calls[0].request_id
    assert 0 < analysis.usage.cost_usd < 0.25
    text = analysis.document.text
    assert all(f.source_text == text[f.start : f.end] for f in analysis.findings if f.clause_id)
    # The unlimited customer liability in clause 4 is critical, whoever judged it.
    assert any(f.clause_id == "c5" and f.risk in {"critical", "high"} for f in analysis.findings)
