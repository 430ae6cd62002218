"""Shared fixtures: settings on a temporary DuckDB, services with the fake or the real model."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.pipeline.services import Services, open_services
from core.settings import Settings
from tests.fake_anthropic import FakeAnthropic
from tests.fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
EVAL_DIR = ROOT.parent / "shared" / "eval"


def require_eval(*parts: str) -> Path:
    path = EVAL_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"../shared/eval not present ({path} missing): evaluation data is only beside CI"
        )
    return path


# Read once, before any test runs: only `live` tests may use a real key (see test_claude_live).
LIVE_API_KEY = os.environ.get("ANTHROPIC_API_KEY", "").strip()


@pytest.fixture(autouse=True)
def _no_real_claude(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own API key must not turn offline tests into paid Claude runs: an empty
    variable (not an absent one) also overrides a key in the project's .env file."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", "")
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database for the dashboard (pages read CA_DB_PATH through the settings)."""
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("CA_DB_PATH", str(path))
    return path


@pytest.fixture
def anthropic_fake() -> Iterator[FakeAnthropic]:
    """A local fake Messages API; the real SDK reaches it through ANTHROPIC_BASE_URL."""
    with FakeAnthropic() as fake:
        yield fake


def claude_env(fake: FakeAnthropic, db: Path, **extra: str) -> dict[str, str]:
    """Settings environment for a Claude run against the fake (fast retries for faults)."""
    return {
        "CA_DB_PATH": str(db),
        "ANTHROPIC_API_KEY": fake.api_key,
        "ANTHROPIC_BASE_URL": fake.base_url,
        "CA_ENGINE": "claude",
        **extra,
    }


def open_app_page(page: str, timeout: float = 120) -> AppTest:
    """The dashboard as a user opens it: the app, then `page` through its navigation."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=timeout)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"CA_DB_PATH": str(tmp_path / "test.duckdb")})


@pytest.fixture
def fake_services(settings: Settings) -> Iterator[Services]:
    services = open_services(settings, embedder=FakeEmbedder())
    yield services
    services.close()


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    from core.vectors.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture
def real_services(settings: Settings, real_embedder) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    services = open_services(settings, embedder=real_embedder)
    yield services
    services.close()


@pytest.fixture(scope="session", autouse=True)
def _release_app_resources() -> Iterator[None]:
    """Page tests leave services in Streamlit's resource cache; close their DuckDB connections
    before the interpreter exits (otherwise the bindings report them as leaked)."""
    yield
    import gc

    import streamlit as st

    st.cache_resource.clear()
    gc.collect()
