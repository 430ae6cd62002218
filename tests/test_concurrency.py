"""Concurrent dashboard sessions share one process and one DuckDB file; a second process gets a
clear message (and read-only access for history) instead of a lock error."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.errors import DatabaseBusy
from core.models import Analysis
from core.pipeline import runner
from core.pipeline.events import FinalEvent
from core.pipeline.services import Services
from core.store import Store
from tests.conftest import ROOT, SAMPLES

HOLD = "import sys, time; from core.store import Store; s = Store(sys.argv[1]{ro}); print('open', flush=True); time.sleep(60)"  # noqa: E501


def analyse(services: Services, path: Path) -> Analysis:
    events = runner.run(services, path.read_bytes(), path.name)
    return [e for e in events if isinstance(e, FinalEvent)][-1].analysis


def test_eight_analyses_at_once_all_complete_and_are_stored(fake_services: Services) -> None:
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".pdf", ".docx"))
    jobs = [files[i % len(files)] for i in range(8)]
    analyse(fake_services, jobs[0])  # warm the taxonomy vectors, as a running server would be
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda p: analyse(fake_services, p), jobs))
    assert [r.status for r in results] == ["completed"] * 8, [r.error for r in results]
    for result in results:
        stored = fake_services.store.load_analysis(result.analysis_id)
        assert stored.status == "completed"
        assert [f.id for f in stored.findings] == [f.id for f in result.findings]
        assert result.findings


def hold(db: Path, read_only: bool) -> subprocess.Popen[str]:
    code = HOLD.format(ro=", read_only=True" if read_only else "")
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    return proc


def stop(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


@pytest.mark.slow
def test_a_database_in_use_gets_a_clear_message_and_history_can_share_it(tmp_path: Path) -> None:
    db = tmp_path / "shared.duckdb"
    Store(db).close()
    writer = hold(db, read_only=False)
    try:
        with pytest.raises(DatabaseBusy, match=r"in use by another Contract Analyzer process"):
            Store(db)
        cli = subprocess.run(
            [sys.executable, "-m", "core", "history", "--db", str(db)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert cli.returncode == 1
        assert "is in use by another Contract Analyzer process" in cli.stderr
        assert "Traceback" not in cli.stderr and "IO Error" not in cli.stderr
    finally:
        stop(writer)
    reader = hold(db, read_only=True)
    try:
        cli = subprocess.run(
            [sys.executable, "-m", "core", "history", "--db", str(db), "--format", "json"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert cli.returncode == 0, cli.stderr
        assert cli.stdout.strip() == "[]"
    finally:
        stop(reader)
