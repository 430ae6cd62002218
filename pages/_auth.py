"""Optional sign-in. When the app's secrets (`.streamlit/secrets.toml`) have an `[auth]`
section naming an OpenID Connect identity provider, every page is behind `st.login`, the sidebar
says who is signed in and offers `st.logout`, and each analysis records who ran it. Without an
`[auth]` section there is no sign-in UI at all. A misconfigured section keeps the app closed and
says what is wrong (failing open would let anyone in)."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAuthError
from streamlit.navigation.page import StreamlitPage

from pages._ui import md

_SHARED_KEYS = ("redirect_uri", "cookie_secret")
_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


def auth_section() -> Mapping[str, Any] | None:
    """The `[auth]` section of the app's secrets, or None when sign-in is not configured."""
    if not st.secrets.load_if_toml_exists() or "auth" not in st.secrets:
        return None
    section = st.secrets["auth"]
    return section if isinstance(section, Mapping) else {}


def providers(section: Mapping[str, Any]) -> list[str | None]:
    """The identity providers to offer: None for the default one (its keys sit in `[auth]`
    itself), then each named `[auth.NAME]` section."""
    named: list[str | None] = [str(k) for k, v in section.items() if isinstance(v, Mapping)]
    default = any(k in section for k in _PROVIDER_KEYS) or not named
    return [None, *named] if default else named


def config_problem(section: Mapping[str, Any]) -> str | None:
    """Why sign-in cannot work with this `[auth]` section, or None when it looks complete."""
    missing = [k for k in _SHARED_KEYS if k not in section]
    if missing:
        return f"[auth] lacks {', '.join(missing)}"
    for name in providers(section):
        keys = section if name is None else section[name]
        lacking = [k for k in _PROVIDER_KEYS if k not in keys]
        if lacking:
            return f"[auth{'' if name is None else '.' + name}] lacks {', '.join(lacking)}"
    if importlib.util.find_spec("authlib") is None:
        return "the Authlib package is not installed (pip install -r requirements.txt)"
    return None


def signed_in_user() -> str | None:
    """Who is signed in (email, else name, else the provider's subject id); None when sign-in
    is not configured or nobody is signed in."""
    if auth_section() is None or st.user.get("is_logged_in") is not True:
        return None
    for claim in ("email", "name", "sub"):
        value = st.user.get(claim)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "unnamed user"


def _sign_in_page() -> None:
    st.title("Contract Analyzer")
    section = auth_section() or {}
    problem = config_problem(section)
    if problem is not None:
        st.error(
            f"Sign-in is configured but cannot work: {md(problem)}. Fix the [auth] section of "
            ".streamlit/secrets.toml and restart the app."
        )
        return
    st.write("Sign in to review contracts. Each analysis records who ran it.")
    for name in providers(section):
        label = "Sign in" if name is None else f"Sign in with {name}"
        key = "auth_login" if name is None else f"auth_login_{name}"
        if st.button(label, key=key, type="primary"):
            try:
                st.login(name)
            except StreamlitAuthError as exc:  # e.g. a provider the server cannot reach
                st.error(f"Sign-in failed: {md(str(exc))}")


def require_sign_in() -> str | None:
    """For the top of every page: who is signed in (None when sign-in is off). When sign-in is
    on and nobody is signed in, show the sign-in page instead and stop. `gate` alone is not
    enough: with a pages/ folder Streamlit may run a page file without the entry script (a
    server's first run, AppTest's reruns)."""
    if auth_section() is None:
        return None
    user = signed_in_user()
    if user is None:
        _sign_in_page()
        st.stop()
    return user


def gate(pages: list[StreamlitPage]) -> list[StreamlitPage]:
    """The pages to offer: all of them when sign-in is off or someone is signed in (the sidebar
    then names them and offers sign-out); otherwise only the sign-in page, so no URL gets past."""
    if auth_section() is None:
        return pages
    user = signed_in_user()
    if user is None:
        return [st.Page(_sign_in_page, title="Sign in", icon="🔐", default=True)]
    with st.sidebar:
        st.caption(f"Signed in as {md(user)}")
        st.button("Sign out", key="auth_logout", on_click=st.logout)
    return pages
