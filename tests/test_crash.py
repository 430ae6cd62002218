"""A process killed with SIGKILL mid-analysis loses nothing already stored; the next start marks
the cut-off analysis `interrupted` and keeps its findings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.store import Store
from tests.conftest import ROOT


def run_until(db: Path, phase: str, marker: str) -> tuple[str, str]:
    done = running = ""
    reached = False
    with subprocess.Popen(
        [sys.executable, "-m", "tests.crash_worker", str(db), phase],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                if line.startswith("DONE"):
                    done = line.split()[1]
                elif line.startswith("RUNNING"):
                    running = line.split()[1]
                elif line.startswith(marker):
                    reached = True
                    break
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    assert reached, f"the worker ended before {marker}"
    assert proc.returncode == -signal.SIGKILL
    return done, running


@pytest.mark.slow
@pytest.mark.parametrize(
    ("phase", "marker", "min_findings"),
    [("embedding", "EMBEDDING", 0), ("findings", "FINDINGS", 2), ("writing", "WRITING", 2)],
)
def test_killed_analysis_is_interrupted_and_keeps_what_was_stored(
    tmp_path: Path, phase: str, marker: str, min_findings: int
) -> None:
    db = tmp_path / "crash.duckdb"
    done, running = run_until(db, phase, marker)
    store = Store(db)
    assert store.recovered == 1
    earlier = store.load_analysis(done)
    assert earlier.status == "completed" and earlier.findings
    killed = store.load_analysis(running)
    assert killed.status == "interrupted"
    assert killed.error and "stopped before it finished" in killed.error
    assert len(killed.findings) >= min_findings
    assert all(f.id != "half" for f in killed.findings)  # the cut-off write left no trace
    if phase != "embedding":
        assert [f.id for f in killed.findings][:2] == ["f1", "f2"]
    assert store.list_analyses(status="interrupted")[0]["id"] == running
    store.close()
