"""The dashboard in a real browser: the app served headless on a loopback port, driven by
Playwright in Debian's Chromium. Uploads a sample, waits for findings, visits every page and saves
screenshots (bench/results/screenshots/). Runs in CI (which installs chromium); on a machine
without chromium it skips, except under CI=true, where a missing browser is a failure."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow
SHOTS = ROOT / "bench" / "results" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs the Debian package")
        pytest.skip("chromium not installed (apt-get install chromium); CI runs this test")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chromium_path()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CA_")}
    env["CA_DB_PATH"] = str(tmp_path_factory.mktemp("browser") / "app.duckdb")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "streamlit_app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    with subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ) as server:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.3)
        else:
            server.kill()
            pytest.fail("the app did not start within 60 s")
        try:
            yield url
        finally:
            server.terminate()
            server.wait(timeout=20)


def test_upload_a_contract_see_findings_and_visit_every_page(app_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        # Streamlit scrolls inside its main pane, so a tall window shows the whole page.
        page = browser.new_page(viewport={"width": 1400, "height": 2600})
        started = time.monotonic()
        page.goto(app_url)
        analyse = page.get_by_role("button", name="Analyse", exact=True)
        expect(analyse).to_be_visible(timeout=30_000)
        landing_s = time.monotonic() - started
        page.screenshot(path=SHOTS / "1-analyze.png", full_page=True)

        page.locator("input[type=file]").first.set_input_files(
            str(SAMPLES / "saas-subscription-agreement.pdf")
        )
        uploaded = page.get_by_role("button", name="Remove saas-subscription-agreement.pdf")
        expect(uploaded).to_be_visible(timeout=30_000)
        analyse.click()
        started = time.monotonic()
        done = page.get_by_text("Analysed saas-subscription-agreement.pdf")
        expect(done).to_be_visible(timeout=180_000)
        analysis_s = time.monotonic() - started
        # The planted problems are on the page: the missing data-protection clause is critical.
        expect(page.get_by_text("Data Protection", exact=False).first).to_be_attached()
        expect(page.get_by_text("critical").filter(visible=True).first).to_be_visible()
        page.screenshot(path=SHOTS / "2-findings.png", full_page=True)
        _accept_a_finding_and_download_the_redline(page, expect)

        for path, marker in (
            ("history", "analyses match"),
            ("insights", "Clause types × risk"),
            ("playbooks", "Compare analyses"),
        ):
            page.goto(f"{app_url}/{path}")
            expect(page.get_by_text(marker).filter(visible=True).first).to_be_visible(
                timeout=60_000
            )
            page.wait_for_timeout(1500)  # let charts finish drawing before the screenshot
            assert page.get_by_text("Traceback").count() == 0
            page.screenshot(path=SHOTS / f"3-{path}.png", full_page=True)
        browser.close()
    print(f"\nlanding page visible after {landing_s:.1f} s; findings after {analysis_s:.1f} s")


def _accept_a_finding_and_download_the_redline(page: Any, expect: Any) -> None:
    """The review queue: accept the missing data-protection clause, see the progress move, and
    download the redline, which holds it as a tracked insertion with a comment."""
    finding = (
        page.locator("[data-testid='stExpander']")
        .filter(has=page.locator("summary", has_text="Data Protection (missing clause)"))
        .first
    )
    finding.locator("summary").click()
    finding.get_by_text("Accept", exact=True).click()
    finding.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("In review · 1 of").first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=SHOTS / "2b-review-queue.png", full_page=True)
    redline = page.get_by_role("button", name="Download redline (Word, tracked changes)")
    expect(redline).to_be_enabled(timeout=30_000)
    with page.expect_download(timeout=60_000) as download:
        redline.click()
    path = download.value.path()
    assert download.value.suggested_filename == "saas-subscription-agreement-redline.docx"
    with zipfile.ZipFile(path) as docx:
        body = docx.read("word/document.xml").decode()
        notes = docx.read("word/comments.xml").decode()
    assert "<w:ins " in body and "Data Protection" in notes
