"""`python -m core analyze --engine claude` as a user runs it: a real subprocess, the real model
and the real anthropic SDK, talking to the local fake Messages API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES
from tests.fake_anthropic import FakeAnthropic, Reply

pytestmark = pytest.mark.slow
SAMPLE = SAMPLES / "professional-services-agreement.txt"


def cli(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CA_", "ANTHROPIC_"))}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_claude_review_from_the_cli_is_estimated_costed_and_stored(
    tmp_path: Path, anthropic_fake: FakeAnthropic
) -> None:
    env = {
        "CA_DB_PATH": str(tmp_path / "cli.duckdb"),
        "ANTHROPIC_API_KEY": anthropic_fake.api_key,
        "ANTHROPIC_BASE_URL": anthropic_fake.base_url,
    }
    result = cli(env, "analyze", str(SAMPLE), "--engine", "claude", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "Claude (claude-sonnet-5-5) estimate:" in result.stderr and "≈$" in result.stderr
    analysis = json.loads(result.stdout)
    assert analysis["engine"] == "claude:claude-sonnet-5-5"
    text = analysis["document"]["text"]
    claude = [f for f in analysis["findings"] if (f["rule"] or "").startswith("claude:")]
    assert len(claude) > 20
    assert all(f["source_text"] == text[f["start"] : f["end"]] for f in claude)
    usage = analysis["usage"]
    assert usage["cost_usd"] > 0 and usage["cache_read_input_tokens"] > 0
    assert (
        len(anthropic_fake.requests)
        == usage["cache_read_input_tokens"] // (usage["cache_creation_input_tokens"]) + 1
    )  # one request writes the cached playbook, every later one reads it
    stored = cli(env, "history", "--id", analysis["analysis_id"], "--format", "json")
    assert json.loads(stored.stdout) == analysis
    report = cli(env, "history", "--id", analysis["analysis_id"])
    assert "Claude usage:" in report.stdout and "read from cache" in report.stdout
    ledger = json.loads(cli(env, "ledger", analysis["analysis_id"], "--format", "json").stdout)
    assert len(ledger["calls"]) == len(anthropic_fake.requests)
    assert ledger["cost_usd"] == pytest.approx(usage["cost_usd"])
    # Reads cost $0.10 per million instead of $2: caching saves most of the prompt's price.
    assert ledger["cache_saved_usd"] > 0.5 * ledger["cost_usd"]
    table = cli(env, "ledger", analysis["analysis_id"])
    assert "caching saved $" in table.stdout and "req_fake" not in table.stdout


def test_a_refused_key_still_gives_a_full_review_that_says_why(
    tmp_path: Path, anthropic_fake: FakeAnthropic
) -> None:
    env = {
        "CA_DB_PATH": str(tmp_path / "cli.duckdb"),
        "ANTHROPIC_API_KEY": "sk-ant-revoked",
        "ANTHROPIC_BASE_URL": anthropic_fake.base_url,
        "CA_ENGINE": "claude",
    }
    anthropic_fake.script.append(Reply())
    result = cli(env, "analyze", str(SAMPLE), "--format", "json", "--quiet")
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout)
    (warning,) = [w for w in analysis["guardrail_warnings"] if w["kind"] == "claude_fallback"]
    assert "authentication failed" in warning["message"]
    assert analysis["findings"] and analysis["status"] == "completed"


def test_claude_without_a_key_is_a_one_line_error(tmp_path: Path) -> None:
    env = {"CA_DB_PATH": str(tmp_path / "cli.duckdb")}
    result = cli(env, "analyze", str(SAMPLE), "--engine", "claude")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: the Claude engine needs an API key: set ANTHROPIC_API_KEY (or use --engine offline)"
    )
