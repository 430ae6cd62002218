"""What a user waits for, as whole processes, against the model's own encode time measured in
the same run (issue 19):

- the floor: a fresh process loads sentence-transformers (fp32) and times `model.encode` of the
  texts the pipeline embeds for the contract, batch 32, as it comes (best of `--runs`; loading
  the model is not in it);
- a fresh install's first analysis: `python -m core analyze FILE` on an empty database (the
  model not loaded, no vectors cached), whole-process wall time;
- the one-shot CLI on a warm database (one earlier analysis of another contract), whole process;
- the dashboard served by the README's command (`streamlit run streamlit_app.py`, the project's
  .streamlit/config.toml), in Chromium: landing page usable (the Analyse button visible) on
  `--runs` fresh servers, beside a bare Streamlit page with the same button (the framework's
  own cost here); then per contract uploaded: first finding and complete after the click; the
  first contract is the fresh server's first-ever analysis.

Contracts: the `--contracts` CUAD dev contracts nearest the median length (speed only: nothing
here reads their labels). Prints medians and ratios; writes bench/results/user.json.

    .venv/bin/python bench/user_bench.py [--contracts 5] [--runs 3] [--skip dashboard]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.app_bench import CHROMIUM_ARGS, _serve  # noqa: E402
from bench.pipeline_bench import CUAD  # noqa: E402

Row = dict[str, Any]


def median_contracts(count: int) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in CUAD.open(encoding="utf-8")]
    rows.sort(key=lambda r: len(r["text"]))
    middle = len(rows) // 2
    chosen = rows[max(0, middle - count // 2) : max(0, middle - count // 2) + count]
    return [(_safe(r["title"]), r["text"]) for r in chosen]


def _safe(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", title)[:60].strip("-") + ".txt"


def _env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CA_", "ANTHROPIC_"))}
    env["CA_DB_PATH"] = str(db)
    return env


def embedded_texts(files: list[Path], tmp: Path) -> dict[str, list[str]]:
    """The texts the pipeline sends to the model for each contract (fresh database each)."""
    from core.pipeline import runner
    from core.pipeline.services import open_services
    from core.settings import Settings
    from core.vectors.embeddings import SentenceTransformerEmbedder

    inner = SentenceTransformerEmbedder()

    class Recording:
        model_id = inner.model_id

        def __init__(self) -> None:
            self.texts: list[str] = []

        def encode(self, batch: Any) -> Any:
            self.texts.extend(batch)
            return inner.encode(batch)

    out: dict[str, list[str]] = {}
    for path in files:
        recording = Recording()
        texts = recording.texts
        db = tmp / f"texts-{path.stem}.duckdb"
        services = open_services(Settings.from_env({"CA_DB_PATH": str(db)}), embedder=recording)
        try:
            services.labeler()  # the taxonomy's vectors are not the contract's
            texts.clear()
            list(runner.run(services, path.read_bytes(), path.name, store=False))
        finally:
            services.close()
        out[path.name] = texts
    return out


def floor_child(texts_file: Path, runs: int) -> None:
    """In a fresh process: the library's encode time per contract (best of `runs`)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    from core.vectors.embeddings import bundled_model_path

    model = SentenceTransformer(bundled_model_path(), device="cpu")
    model.encode(["warm up"], show_progress_bar=False)
    result = {}
    for name, texts in json.loads(texts_file.read_text()).items():
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
            times.append((time.perf_counter() - started) * 1000)
        result[name] = min(times)
    print(json.dumps(result))


def timed_cli(file: Path, db: Path) -> float:
    started = time.perf_counter()
    reply = subprocess.run(
        [sys.executable, "-m", "core", "analyze", str(file), "--format", "json", "--quiet"],
        cwd=ROOT,
        env=_env(db),
        capture_output=True,
        text=True,
    )
    wall = (time.perf_counter() - started) * 1000
    if reply.returncode != 0 or '"status": "completed"' not in reply.stdout:
        raise RuntimeError(f"analyze {file.name} failed: {reply.stderr[-500:]}")
    return wall


def cli_section(files: list[Path], tmp: Path, runs: int, warm_file: Path) -> Row:
    cold: dict[str, list[float]] = {f.name: [] for f in files}
    warm: dict[str, list[float]] = {f.name: [] for f in files}
    for run in range(runs):
        for file in files:
            fresh = tmp / f"cold-{run}-{file.stem}.duckdb"
            cold[file.name].append(timed_cli(file, fresh))
        base = tmp / f"warm-{run}.duckdb"
        timed_cli(warm_file, base)  # the database is no longer new
        for file in files:
            db = tmp / f"warm-{run}-{file.stem}.duckdb"
            shutil.copy(base, db)
            warm[file.name].append(timed_cli(file, db))
    return {"cold_ms": cold, "warm_ms": warm}


# A Streamlit page with nothing behind it: what the framework and Chromium cost on this machine.
BARE_APP = 'import streamlit as st\n\nst.title("Analyze a contract")\nst.button("Analyse")\n'


def landing(tmp: Path, runs: int) -> Row:
    """Landing page usable (the Analyse button visible) on `runs` fresh servers, each on a new
    database, for the app and for a bare Streamlit page: from the server's start, and from
    when it answers (when `streamlit run` opens the browser)."""
    from playwright.sync_api import expect, sync_playwright

    bare = tmp / "bare" / "bare_app.py"
    bare.parent.mkdir(exist_ok=True)
    bare.write_text(BARE_APP)
    out: Row = {"app": [], "bare": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for run in range(runs):
            for kind, script in (("app", None), ("bare", bare)):
                started = time.perf_counter()
                server, url, up = _serve(tmp / f"landing-{run}.duckdb", script)
                try:
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    answered = time.perf_counter()
                    page.goto(url)
                    button = page.get_by_role("button", name="Analyse", exact=True)
                    expect(button).to_be_visible(timeout=60_000)
                    done = time.perf_counter()
                    page.close()
                finally:
                    server.terminate()
                    server.wait(timeout=30)
                out[kind].append(
                    {
                        "from_start_ms": (done - started) * 1000,
                        "from_ready_ms": (done - answered) * 1000,
                        "ready_ms": up * 1000,
                    }
                )
        browser.close()
    return out


def dashboard_section(files: list[Path], tmp: Path, runs: int) -> Row:
    chromium = shutil.which("chromium")
    if chromium is None:
        return {"skipped": "chromium not installed"}
    from playwright.sync_api import expect, sync_playwright

    out: Row = {"landing": landing(tmp, runs), "analyses": []}
    server, url, _ = _serve(tmp / "app.duckdb")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            page.goto(url)
            analyse = page.get_by_role("button", name="Analyse", exact=True)
            expect(analyse).to_be_visible(timeout=60_000)
            finding = re.compile(r"(critical|high|medium|low) · ")
            for file in files:
                page.locator("input[type=file]").first.set_input_files(str(file))
                remove = page.get_by_role("button", name=f"Remove {file.name}")
                expect(remove).to_be_visible(timeout=30_000)
                page.wait_for_timeout(300)  # the upload's rerun settles
                # The run's status box (earlier results' findings sit collapsed, hidden).
                status = page.get_by_test_id("stExpander").filter(has_text="Findings as they")
                live = status.get_by_text(finding).first
                analyse.click()
                clicked = time.perf_counter()
                # In the page, not necessarily on screen: when the last finding comes with the
                # end of the run, the box folds away in the same update.
                expect(live).to_be_attached(timeout=180_000)
                first = (time.perf_counter() - clicked) * 1000
                expect(page.get_by_text(f"Analysed {file.name}:")).to_be_visible(timeout=180_000)
                done = (time.perf_counter() - clicked) * 1000
                out["analyses"].append({"name": file.name, "first_ms": first, "done_ms": done})
                print(f"  {file.name}: first {first:,.0f} ms, done {done:,.0f} ms", file=sys.stderr)
                remove.click()
                expect(remove).to_be_hidden(timeout=30_000)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contracts", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip", default="", help="comma-separated: cli, dashboard")
    parser.add_argument("--floor-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_child:
        floor_child(args.floor_child, args.runs)
        return
    if not CUAD.exists():
        sys.exit(f"{CUAD} not found: the benchmark reads CUAD dev contracts beside the project")
    skip = set(filter(None, args.skip.split(",")))
    result: Row = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        files = []
        for title, text in median_contracts(args.contracts + 1):
            files.append(tmp / title)
            files[-1].write_text(text, encoding="utf-8")
        warm_file, files = files[0], files[1:]
        texts = embedded_texts(files, tmp)
        (tmp / "texts.json").write_text(json.dumps(texts))
        floor = subprocess.run(
            [
                sys.executable,
                __file__,
                "--floor-child",
                str(tmp / "texts.json"),
                "--runs",
                str(args.runs),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        floors: dict[str, float] = json.loads(floor.stdout.strip().splitlines()[-1])
        result["contracts"] = {
            f.name: {
                "chars": len(f.read_text(encoding="utf-8")),
                "texts": len(texts[f.name]),
                "floor_ms": floors[f.name],
            }
            for f in files
        }
        if "cli" not in skip:
            result["cli"] = cli_section(files, tmp, args.runs, warm_file)
        if "dashboard" not in skip:
            result["dashboard"] = dashboard_section(files, tmp, args.runs)
    report(result)
    out = ROOT / "bench" / "results" / "user.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))


def report(result: Row) -> None:
    contracts = result["contracts"]
    floors = {name: c["floor_ms"] for name, c in contracts.items()}
    print(f"{len(floors)} median CUAD dev contracts; the floor (library encode, batch 32):")
    for name, c in contracts.items():
        size = f"{c['chars']:>7,} chars {c['texts']:>4} texts"
        print(f"  {name[:50]:50} {size} {c['floor_ms']:>7,.0f} ms")
    print(f"  median floor {statistics.median(floors.values()):,.0f} ms")

    def ratios(times: dict[str, list[float]]) -> str:
        walls = [statistics.median(v) for v in times.values()]
        each = [statistics.median(v) / floors[n] for n, v in times.items()]
        return (
            f"median {statistics.median(walls):,.0f} ms, ratio to the floor median "
            f"{statistics.median(each):.2f} (worst {max(each):.2f})"
        )

    if "cli" in result:
        cli = result["cli"]
        print(f"CLI, fresh install's first analysis (empty database): {ratios(cli['cold_ms'])}")
        print(f"CLI, one-shot analyze, warm database:              {ratios(cli['warm_ms'])}")
    dash = result.get("dashboard", {})
    if "skipped" in dash:
        print(f"dashboard: skipped ({dash['skipped']})")
    elif dash:
        land = dash["landing"]

        def med(kind: str, key: str) -> float:
            return float(statistics.median(r[key] for r in land[kind]))

        print(
            f"dashboard landing page usable, median of {len(land['app'])} fresh servers: "
            f"{med('app', 'from_ready_ms'):,.0f} ms after the server answered "
            f"({med('app', 'from_start_ms'):,.0f} ms from its start); a bare Streamlit page "
            f"{med('bare', 'from_ready_ms'):,.0f} ms ({med('bare', 'from_start_ms'):,.0f} ms)"
        )
        for i, a in enumerate(dash["analyses"]):
            label = "first-ever analysis" if i == 0 else "later analysis"
            ratio = a["done_ms"] / floors[a["name"]]
            print(
                f"  {label:20} {a['name'][:40]:40} first finding {a['first_ms']:,.0f} ms,"
                f" complete {a['done_ms']:,.0f} ms ({ratio:.2f}x floor)"
            )
        later = dash["analyses"][1:]
        if later:
            print(
                "  later analyses, median: first finding "
                f"{statistics.median(a['first_ms'] for a in later):,.0f} ms, complete "
                f"{statistics.median(a['done_ms'] / floors[a['name']] for a in later):.2f}x floor"
            )


if __name__ == "__main__":
    main()
