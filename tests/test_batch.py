"""Batch mode: a folder of contracts in, a progress line per file and a summary CSV out; a bad
file is reported in its row and the others are still analysed (the fake model, a real DuckDB)."""

from __future__ import annotations

import argparse
import csv
import io
import shutil
from pathlib import Path

import pytest

from core.cli.batch import analyse_files, command, write_summary
from core.cli.main import build_parser
from core.cli.output import expand_paths
from core.errors import ContractAnalyzerError
from core.pipeline.services import Services
from core.settings import Settings
from tests.conftest import SAMPLES


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    (root / "2026").mkdir(parents=True)
    shutil.copy(SAMPLES / "mutual-nda.docx", root / "mutual-nda.docx")
    shutil.copy(SAMPLES / "professional-services-agreement.txt", root / "2026" / "psa.txt")
    (root / "broken.pdf").write_bytes(b"%PDF-1.7 this is not really a PDF")
    (root / "notes.csv").write_text("not a contract type, skipped")
    return root


def test_a_folder_is_summarised_row_by_row_and_a_bad_file_does_not_stop_it(
    fake_services: Services, folder: Path, tmp_path: Path
) -> None:
    shown = io.StringIO()
    rows = list(analyse_files(fake_services, list(expand_paths([folder])), folder, None, shown))
    out = tmp_path / "summary.csv"
    write_summary(out, rows)

    with out.open(encoding="utf-8") as handle:
        summary = {row["file"]: row for row in csv.DictReader(handle)}
    assert sorted(summary) == ["2026/psa.txt", "broken.pdf", "mutual-nda.docx"]
    assert summary["broken.pdf"]["status"] == "failed"
    assert "PDF" in summary["broken.pdf"]["error"]
    for name in ("2026/psa.txt", "mutual-nda.docx"):
        row = summary[name]
        assert row["status"] == "completed" and row["error"] == ""
        assert int(row["clauses"]) > 0
        risks = sum(int(row[r]) for r in ("critical", "high", "medium", "low"))
        assert int(row["findings"]) == risks > 0
        assert fake_services.store.load_analysis(row["analysis_id"]).status == "completed"
    lines = shown.getvalue().splitlines()
    assert [line.split("] ")[1].split(" ")[0] for line in lines] == ["1/3", "2/3", "3/3"]
    assert "broken.pdf — failed" in lines[1]


def test_the_batch_command_refuses_a_path_that_is_not_a_folder(
    settings: Settings, tmp_path: Path
) -> None:
    args = build_parser().parse_args(["batch", str(SAMPLES / "mutual-nda.docx")])
    assert args.out == Path("summary.csv")
    with pytest.raises(ContractAnalyzerError, match="is not a folder"):
        command(args, settings)
    empty = tmp_path / "empty"
    empty.mkdir()
    args = argparse.Namespace(folder=empty, out=tmp_path / "s.csv", playbook=None, quiet=True)
    with pytest.raises(ContractAnalyzerError, match="no contract files"):
        command(args, settings)
