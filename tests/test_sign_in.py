"""Optional sign-in: without an [auth] section in the app's secrets there is no sign-in UI at
all; with one, every page is behind the sign-in page until an identity provider signs the user
in, the sidebar names them, and each analysis records who ran it (History and the CLI show it).

AppTest cannot complete a real OpenID Connect flow: `at.user` plays the signed-in user."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from core.pipeline import runner
from core.pipeline.services import open_services
from core.settings import Settings
from tests.conftest import ROOT, SAMPLES, open_app_page
from tests.fakes import FakeEmbedder
from tests.test_page_guards import CONTRACT, paste_and_analyse

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-string-for-signing-cookies",
    "client_id": "contract-analyzer",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://idp.example.com/.well-known/openid-configuration",
}
ALICE = {"is_logged_in": True, "email": "alice@example.com", "name": "Alice", "sub": "u-1"}
PAGES = ("pages/analyze.py", "pages/history.py", "pages/insights.py", "pages/playbooks.py")


def run_app(secrets: dict[str, Any] | None = None, user: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    if secrets is not None:
        at.secrets["auth"] = secrets
    if user is not None:
        at.user = user
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in_buttons(at: AppTest) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith("auth_login")]


def test_without_auth_secrets_there_is_no_sign_in_ui(db_path: Path) -> None:
    at = run_app()
    assert [t.value for t in at.title] == ["Analyze a contract"]
    assert not sign_in_buttons(at) and not at.sidebar.button
    assert not any("Signed in" in c.value for c in at.sidebar.caption)


def test_with_auth_secrets_only_the_sign_in_page_is_shown(db_path: Path) -> None:
    at = run_app(AUTH)
    assert [t.value for t in at.title] == ["Contract Analyzer"]
    assert sign_in_buttons(at) == ["auth_login"]
    assert "analyze_run" not in [b.key for b in at.button]  # the Analyze page is not reachable


@pytest.mark.parametrize("page", PAGES)
def test_every_page_run_on_its_own_is_behind_sign_in(db_path: Path, page: str) -> None:
    # Streamlit may run a pages/ file without the entry script (e.g. a server's first run).
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Contract Analyzer"]
    assert sign_in_buttons(at) == ["auth_login"]
    # Nothing is opened for someone not signed in: not even the database file is created.
    assert not db_path.exists()


def test_named_providers_each_get_a_button(db_path: Path) -> None:
    provider = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    shared = {k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}
    at = run_app({**shared, "google": provider, "okta": provider})
    assert sign_in_buttons(at) == ["auth_login_google", "auth_login_okta"]
    assert [b.label for b in at.button] == ["Sign in with google", "Sign in with okta"]


def test_a_misconfigured_auth_section_says_what_is_wrong_and_stays_closed(db_path: Path) -> None:
    at = run_app({"redirect_uri": AUTH["redirect_uri"], "client_id": "x"})
    (error,) = [e.value for e in at.error]
    assert error.startswith("Sign-in is configured but cannot work:")
    assert "cookie" in error and "analyze_run" not in [b.key for b in at.button]
    assert not sign_in_buttons(at)


def test_a_failing_sign_in_is_one_error_line_not_a_traceback(db_path: Path) -> None:
    # Streamlit's own check reads secrets.toml, which AppTest's secrets do not reach: the
    # click fails the way a server with an unreadable secrets file would.
    at = run_app(AUTH)
    at.button(key="auth_login").click().run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert error.startswith("Sign-in failed:")


def test_the_signed_in_user_is_named_in_the_sidebar_and_can_sign_out(db_path: Path) -> None:
    at = run_app(AUTH, ALICE)
    assert [t.value for t in at.title] == ["Analyze a contract"]
    assert [c.value for c in at.sidebar.caption] == ["Signed in as alice@example\\.com"]
    at.sidebar.button(key="auth_logout").click().run()
    assert not at.exception
    assert at.user.get("is_logged_in") is False
    assert [t.value for t in at.title] == ["Contract Analyzer"]
    assert sign_in_buttons(at) == ["auth_login"]


def test_a_run_records_who_ran_it_and_history_and_the_cli_show_it(db_path: Path) -> None:
    services = open_services(Settings.from_env(), embedder=FakeEmbedder())
    data = (SAMPLES / "professional-services-agreement.txt").read_bytes()
    ran = list(runner.run(services, data, "psa.txt", user="alice@example.com"))[-1]
    anonymous = list(runner.run(services, data, "anon.txt"))[-1]
    assert ran.analysis.user == "alice@example.com"  # type: ignore[union-attr]
    stored = services.store.load_analysis(ran.analysis_id)
    assert stored.user == "alice@example.com"
    assert services.store.load_analysis(anonymous.analysis_id).user is None
    rows = services.store.list_analyses()
    assert {r["document_name"]: r["user"] for r in rows} == {
        "psa.txt": "alice@example.com",
        "anon.txt": None,
    }
    services.close()

    env = {k: v for k, v in os.environ.items() if not k.startswith("CA_")}
    env["CA_DB_PATH"] = str(db_path)
    history = [sys.executable, "-m", "core", "history"]
    text = subprocess.run(history, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    by_name = {n: next(ln for ln in text.stdout.splitlines() if n in ln) for n in ("psa", "anon")}
    assert by_name["psa"].endswith("(by alice@example.com)")
    assert "(by" not in by_name["anon"]
    as_json = subprocess.run(
        [*history, "--format", "json"], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert {r["document_name"]: r["user"] for r in json.loads(as_json.stdout)} == {
        "psa.txt": "alice@example.com",
        "anon.txt": None,
    }

    # The dashboard last: it keeps the database open for this process.
    at = open_app_page("pages/history.py")
    (frame,) = [d.value for d in at.dataframe if d.key == "history_table"]
    assert dict(zip(frame["document_name"], frame["user"], strict=True)) == {
        "psa.txt": "alice@example.com",
        "anon.txt": "—",
    }


def test_history_has_no_run_by_column_when_nobody_signed_in(db_path: Path) -> None:
    services = open_services(Settings.from_env(), embedder=FakeEmbedder())
    data = (SAMPLES / "professional-services-agreement.txt").read_bytes()
    list(runner.run(services, data, "a.txt"))
    services.close()
    at = open_app_page("pages/history.py")
    (frame,) = [d.value for d in at.dataframe if d.key == "history_table"]
    assert "user" not in frame.columns and list(frame["document_name"]) == ["a.txt"]


@pytest.mark.slow
def test_a_signed_in_users_analysis_records_who_ran_it(db_path: Path) -> None:
    at = run_app(AUTH, ALICE)
    paste_and_analyse(at, CONTRACT.format(injected=""), "signed.txt")
    assert at.status[0].label.startswith("Analysed signed\\.txt")
    assert any("run by alice@example\\.com" in c.value for c in at.caption)
    at.switch_page("pages/history.py")
    at.run()
    (frame,) = [d.value for d in at.dataframe if d.key == "history_table"]
    assert list(zip(frame["document_name"], frame["user"], strict=True)) == [
        ("signed.txt", "alice@example.com")
    ]


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as /proc/net shows them) of the sockets listening on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux's /proc/net")
def test_the_readmes_command_serves_this_machine_only(tmp_path: Path) -> None:
    # Without sign-in anyone who reaches the port can use the dashboard, so the README's
    # command (the project's .streamlit/config.toml) must not listen on the network.
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "CA_DB_PATH": str(tmp_path / "x.duckdb")}
    readme = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py"]
    server = subprocess.Popen(
        [*readme, "--server.headless", "true", "--server.port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        addresses = _listening(port)
        assert addresses, "the server did not start"
        loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
        assert set(addresses) <= loopback, addresses
    finally:
        server.terminate()
        server.wait(timeout=30)
