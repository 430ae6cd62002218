"""App benchmark: the dashboard's landing page served headless (`streamlit run`) and opened in
Debian's Chromium through Playwright, timed from navigation until its main content (the Analyse
button) is visible; and the peak memory (max RSS) of a process that loads the model and analyses
the longest CUAD dev contract once.

    python bench/app_bench.py [--runs 3]

Part of bench/perf_bench.py; runnable alone. The bar: landing ≤ 3 s, peak RSS < 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(db: Path, script: Path | None = None) -> tuple[subprocess.Popen[bytes], str, float]:
    """Start the app (or another Streamlit `script`, run from its folder); returns the server,
    its URL and the seconds until it answered health."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CA_")}
    env["CA_DB_PATH"] = str(db)
    cmd = [sys.executable, "-m", "streamlit", "run", script.name if script else "streamlit_app.py"]
    cmd += ["--server.headless", "true", "--server.address", "127.0.0.1"]
    cmd += ["--server.port", str(port), "--browser.gatherUsageStats", "false"]
    started = time.perf_counter()
    if script is not None:  # outside the project: Streamlit's own defaults, watcher off as ours
        cmd += ["--server.fileWatcherType", "none", "--client.toolbarMode", "minimal"]
    server = subprocess.Popen(
        cmd,
        cwd=script.parent if script else ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 90:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read() == b"ok":
                    return server, url, time.perf_counter() - started
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the app did not start within 90 s")


def landing_page(runs: int) -> dict[str, Any]:
    """First render of the landing page: once on a fresh server, then `runs` fresh tabs."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return {"skipped": "chromium not installed"}
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server, url, startup = _serve(Path(tmp) / "app.duckdb")
        times = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                for _ in range(runs + 1):
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    started = time.perf_counter()
                    page.goto(url)
                    button = page.get_by_role("button", name="Analyse", exact=True)
                    expect(button).to_be_visible(timeout=60_000)
                    times.append((time.perf_counter() - started) * 1000)
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {
        "server_start_ms": round(startup * 1000, 1),
        "first_visit_ms": round(times[0], 1),  # fresh server: opens the database, seeds playbooks
        "later_visits_median_ms": round(statistics.median(times[1:]), 1),
    }


def longest_contract() -> tuple[str, bytes] | None:
    from bench.pipeline_bench import CUAD

    if not CUAD.exists():
        return None
    rows = [json.loads(line) for line in CUAD.open(encoding="utf-8")]
    row = max(rows, key=lambda r: len(r["text"]))
    return f"{row['title']}.txt", row["text"].encode("utf-8")


def _analyse_longest_in_this_process() -> None:
    from core.pipeline import runner
    from core.pipeline.events import FinalEvent
    from core.pipeline.services import open_services
    from core.settings import Settings

    doc = longest_contract()
    assert doc is not None
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(Settings.from_env({"CA_DB_PATH": f"{tmp}/rss.duckdb"}))
        final = [e for e in runner.run(services, doc[1], doc[0]) if isinstance(e, FinalEvent)]
        services.close()
    analysis = final[-1].analysis
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: kilobytes
    print(json.dumps({"document": doc[0], "chars": analysis.document.chars,
                      "clauses": len(analysis.clauses), "status": analysis.status,
                      "peak_rss_mb": round(peak_kb / 1024, 1)}))  # fmt: skip


def peak_memory() -> dict[str, Any]:
    """Max RSS of a fresh process doing one analysis of the longest dev contract."""
    if longest_contract() is None:
        return {"skipped": "CUAD dev set not found"}
    reply = subprocess.run(
        [sys.executable, __file__, "--rss-child"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(reply.stdout.strip().splitlines()[-1]))


def run_section(runs: int = 3) -> dict[str, Any]:
    return {"landing": landing_page(runs), "memory": peak_memory()}


def print_section(result: dict[str, Any]) -> None:
    landing, memory = result["landing"], result["memory"]
    print("\napp")
    if "skipped" in landing:
        print(f"landing page: skipped ({landing['skipped']})")
    else:
        print(
            f"landing page first render: {landing['first_visit_ms']:,.0f} ms on a fresh server,"
            f" {landing['later_visits_median_ms']:,.0f} ms later (median);"
            f" server ready after {landing['server_start_ms']:,.0f} ms"
        )
    if "skipped" in memory:
        print(f"peak memory: skipped ({memory['skipped']})")
    else:
        print(
            f"peak RSS, one analysis of {memory['document']} ({memory['chars']:,} chars,"
            f" {memory['clauses']} clauses): {memory['peak_rss_mb']:,.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="landing visits after the first")
    parser.add_argument("--rss-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        _analyse_longest_in_this_process()
        return
    result = run_section(args.runs)
    print_section(result)
    out = ROOT / "bench" / "results" / "app.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
