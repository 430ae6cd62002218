"""Shared fixtures: settings on a temporary DuckDB, services with the fake or the real model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.services import Services, open_services
from core.settings import Settings
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


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database for the dashboard (pages read CA_DB_PATH through the settings)."""
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("CA_DB_PATH", str(path))
    return path


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
    from core.embeddings import SentenceTransformerEmbedder

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
