"""Streamlit-only helpers shared by the pages: the cached services, risk styling, and a guard
that turns expected errors into a short message instead of a traceback."""

from __future__ import annotations

import importlib
import re
import threading
import uuid
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from core.app import (
    ContractAnalyzerError,
    Engine,
    RateLimiter,
    SentenceTransformerEmbedder,
    Services,
    Settings,
    engines,
    open_services,
)

T = TypeVar("T")

RISK_COLOURS = {"critical": "#b91c1c", "high": "#ea580c", "medium": "#ca8a04", "low": "#2563eb"}
RISK_ICONS = {"critical": "🟥", "high": "🟧", "medium": "🟨", "low": "🟦"}


@st.cache_resource(show_spinner=False)
def _embedder(model: str, batch_size: int, int8: bool, backend: str) -> SentenceTransformerEmbedder:
    # Loaded lazily on first encode, once per process, shared by every database.
    return SentenceTransformerEmbedder(model, batch_size, int8, backend)


@st.cache_resource(show_spinner="Opening the database…")
def _services_for(settings: Settings) -> Services:
    embedder = _embedder(
        settings.embedding_model,
        settings.embedding_batch_size,
        settings.embedding_int8,
        settings.embedding_backend,
    )
    return open_services(settings, embedder=embedder)


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Once per server process, after the first page is on screen: import what showing a
    result needs (pandas, ~1 s on a 2-core machine) while the user picks a file, instead of
    before the landing page or after the first analysis."""
    thread = threading.Thread(
        target=importlib.import_module, args=("pandas",), name="warm-up", daemon=True
    )
    thread.start()
    return thread


def get_services() -> Services:
    """One set of services per database file and server process, shared by every session
    (DuckDB allows one process per file; each query runs on its own cursor)."""
    return _services_for(Settings.from_env())


@st.cache_resource(show_spinner=False)
def _engines_for(settings: Settings) -> dict[str, Engine]:
    # Built once per process: the Claude engine holds the SDK client and its connection pool.
    return engines(_services_for(settings))


def engine_choices(services: Services) -> dict[str, Engine]:
    """The engines this user may pick, best first (Claude only when a key is configured)."""
    return _engines_for(services.settings)


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


@st.cache_resource(show_spinner=False)
def _analysis_limiter(limit: int, window_s: int) -> RateLimiter:
    # One per server process, shared by every session, so a client cannot reset it by reloading.
    return RateLimiter(limit, window_s)


def client_id() -> str:
    """Who the rate limit counts: the client's IP address where Streamlit knows it (a remote
    browser), else this browser session (a random id kept in its session state)."""
    ip = st.context.ip_address
    # A str check, not truthiness: AppTest's stand-in runtime answers with a mock object.
    if isinstance(ip, str) and ip and ip not in ("127.0.0.1", "::1"):
        return f"ip:{ip}"
    if "client_id" not in st.session_state:
        st.session_state["client_id"] = f"session:{uuid.uuid4().hex}"
    return str(st.session_state["client_id"])


def allow_analysis(settings: Settings) -> bool:
    """Count one analysis for this client; False (after saying when to retry) when over limit."""
    limiter = _analysis_limiter(settings.rate_limit_analyses, settings.rate_limit_window_s)

    def acquire() -> bool:
        limiter.acquire(client_id())
        return True

    return guarded(acquire) is not None


def risk_label(risk: str) -> str:
    return f"{RISK_ICONS.get(risk, '⬜')} {risk}"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md(text: object) -> str:
    """Text safe inside Streamlit Markdown: one line, every markup character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
