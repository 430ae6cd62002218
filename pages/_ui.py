"""Streamlit-only helpers shared by the pages: the cached services, risk styling, and a guard
that turns expected errors into a short message instead of a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from core.embeddings import SentenceTransformerEmbedder
from core.errors import ContractAnalyzerError
from core.services import Services, open_services
from core.settings import Settings

T = TypeVar("T")

RISK_COLOURS = {"critical": "#b91c1c", "high": "#ea580c", "medium": "#ca8a04", "low": "#2563eb"}
RISK_ICONS = {"critical": "🟥", "high": "🟧", "medium": "🟨", "low": "🟦"}


@st.cache_resource(show_spinner=False)
def _embedder(model: str, batch_size: int) -> SentenceTransformerEmbedder:
    # Loaded lazily on first encode, once per process, shared by every database.
    return SentenceTransformerEmbedder(model, batch_size)


@st.cache_resource(show_spinner="Opening the database…")
def _services_for(settings: Settings) -> Services:
    embedder = _embedder(settings.embedding_model, settings.embedding_batch_size)
    return open_services(settings, embedder=embedder)


def get_services() -> Services:
    """One set of services per database file and server process, shared by every session
    (DuckDB allows one process per file; each query runs on its own cursor)."""
    return _services_for(Settings.from_env())


def services_or_stop() -> Services:
    try:
        return get_services()
    except ContractAnalyzerError as exc:
        st.error(str(exc))
        st.stop()
        raise  # st.stop() raises; this keeps type checkers content


def guarded(call: Callable[[], T]) -> T | None:
    """Run a core call; expected errors become one st.error line, never a traceback."""
    try:
        return call()
    except ContractAnalyzerError as exc:
        st.error(str(exc))
        return None


def risk_label(risk: str) -> str:
    return f"{RISK_ICONS.get(risk, '⬜')} {risk}"
