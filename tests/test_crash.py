"""A process killed with SIGKILL mid-analysis loses nothing already stored; the next start marks
the cut-off analysis `interrupted` and keeps its findings."""

from __future__ import annotations

import json
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


@pytest.mark.slow
def test_history_right_after_a_kill_shows_the_run_as_interrupted(tmp_path: Path) -> None:
    # `history` opens the file read-only and so cannot mark the dead run; it must not call it
    # running either (it did until the next writer opened the file).
    db = tmp_path / "crash.duckdb"
    _, running = run_until(db, "findings", "FINDINGS")
    env = {**os.environ, "CA_DB_PATH": str(db)}

    def history(*args: str) -> str:
        reply = subprocess.run(
            [sys.executable, "-m", "core", "history", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert reply.returncode == 0, reply.stderr
        return reply.stdout

    listed = history("--format", "json")
    (row,) = [r for r in json.loads(listed) if r["id"] == running]
    assert row["status"] == "interrupted" and "stopped before it finished" in row["error"]
    assert running[:12] in history("--status", "interrupted")
    assert running[:12] not in history("--status", "running")
    one = json.loads(history("--id", running, "--format", "json"))
    assert one["status"] == "interrupted"
