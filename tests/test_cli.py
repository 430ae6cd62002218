"""`python -m core` as a user runs it: real subprocesses, the real model, a temporary DuckDB."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli") / "cli.duckdb"


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CA_")}
    env["CA_DB_PATH"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_analyze_json_is_the_documented_analysis_object(db: Path) -> None:
    result = cli(
        db,
        "analyze",
        str(SAMPLES / "saas-subscription-agreement.pdf"),
        "--format",
        "json",
        "--quiet",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing but the analysis: no library progress bars or warnings
    analysis = json.loads(result.stdout)
    assert set(analysis) >= {
        "analysis_id",
        "status",
        "error",
        "document",
        "playbook",
        "engine",
        "clauses",
        "key_terms",
        "findings",
        "guardrail_warnings",
        "input_warnings",
        "usage",
        "timings_ms",
    }
    text = analysis["document"]["text"]
    assert analysis["document"]["chars"] == len(text) and analysis["document"]["pages"] >= 4
    assert analysis["playbook"]["name"] == "default-customer" and analysis["engine"] == "offline"
    assert analysis["key_terms"]["governing_law"] == "Delaware"
    assert analysis["key_terms"]["payment_terms_days"] == 15
    for clause in analysis["clauses"]:
        assert 0 <= clause["start"] < clause["end"] <= len(text)
    for f in analysis["findings"]:
        assert f["source_text"] == text[f["start"] : f["end"]]
        assert f["risk"] in {"low", "medium", "high", "critical"}
    assert {"load", "extract", "embed", "retrieve", "analyze", "first_finding", "total"} <= set(
        analysis["timings_ms"]
    )
    # What was printed is exactly what was stored.
    stored = cli(db, "history", "--id", analysis["analysis_id"], "--format", "json")
    assert json.loads(stored.stdout) == analysis


def test_analyze_a_folder_as_jsonl_and_markdown(db: Path) -> None:
    result = cli(db, "analyze", str(SAMPLES), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    names = [json.loads(line)["document"]["name"] for line in result.stdout.splitlines()]
    assert sorted(names) == [
        "mutual-nda.docx",
        "professional-services-agreement.txt",
        "saas-subscription-agreement.pdf",
    ]
    md = cli(db, "analyze", str(SAMPLES / "mutual-nda.docx"), "--format", "md", "--no-store")
    assert md.returncode == 0
    assert md.stdout.startswith("# Contract review: mutual-nda.docx")
    assert "## Findings" in md.stdout and "## Key terms" in md.stdout


def test_text_report_lists_findings_highest_risk_first(db: Path) -> None:
    result = cli(db, "analyze", str(SAMPLES / "saas-subscription-agreement.pdf"), "--no-store")
    assert result.returncode == 0
    risks = [
        line.split("]")[0].strip("[") for line in result.stdout.splitlines() if line.startswith("[")
    ]
    order = {"CRITICAL": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3}
    assert risks and [order[r] for r in risks] == sorted(order[r] for r in risks)
    assert "Key terms:" in result.stdout


def test_bad_files_get_one_line_errors_and_no_traceback(db: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes((SAMPLES / "saas-subscription-agreement.pdf").read_bytes()[:3000])
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = cli(db, "analyze", str(broken), str(empty), str(tmp_path / "nope.pdf"))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    assert "Traceback" not in result.stderr + result.stdout
    assert any("nope.pdf" in e for e in errors)
    # Each failure is said once, on stderr: not again as a report on stdout.
    assert not any(name in result.stdout for name in ("broken.pdf", "empty.txt", "nope.pdf"))


def test_help_points_only_to_what_ships(db: Path) -> None:
    shown = cli(db, "--help").stdout
    named = {word.strip('(),."') for word in shown.split() if word.strip('(),."').endswith(".md")}
    assert named and all((ROOT / name).is_file() for name in named), named


def test_playbook_commands_list_show_import_and_diff(db: Path, tmp_path: Path) -> None:
    listed = cli(db, "playbook", "list")
    assert "default-customer" in listed.stdout and "v2" in listed.stdout
    shown = cli(db, "playbook", "show", "default-customer@1")
    assert "Limitation Of Liability (required)" in shown.stdout
    assert "written for" not in shown.stdout  # v1 declares no kinds: any contract
    latest = cli(db, "playbook", "show", "default-customer").stdout
    assert "written for: SaaS or cloud services agreements, professional services" in latest
    content = cli(db, "playbook", "show", "default-customer", "--format", "yaml").stdout
    edited = tmp_path / "v4.yaml"
    edited.write_text(content.replace("risk: low", "risk: medium", 1))
    first = cli(db, "playbook", "import", str(edited), "--note", "raise one risk")
    assert first.returncode == 0 and "default-customer@v4" in first.stdout
    again = cli(db, "playbook", "import", str(edited), "--note", "same again")
    assert "unchanged" in again.stdout
    no_note = cli(db, "playbook", "import", str(edited), "--note", " ")
    assert no_note.returncode == 1 and "change note is required" in no_note.stderr
    diff = cli(db, "playbook", "diff", "default-customer", "3", "4", "--format", "json")
    changes = json.loads(diff.stdout)
    assert len(changes) == 1 and changes[0]["status"] == "changed"
    (change,) = changes[0]["changes"]
    assert "low" in change["before"] and "medium" in change["after"]
    text_diff = cli(db, "playbook", "diff", "default-customer", "1", "2")
    assert "ADDED" in text_diff.stdout and "REMOVED" in text_diff.stdout
    # v3 changes no rule, only what the playbook is for: the diff says so
    whole = json.loads(
        cli(db, "playbook", "diff", "default-customer", "2", "3", "--format", "json").stdout
    )
    assert [(c["clause_type"], c["changes"][0]["field"]) for c in whole] == [
        ("Whole playbook", "contract_types")
    ]
    assert whole[0]["changes"][0]["added"] == ["saas", "services", "licence"]


def test_a_draft_playbook_is_used_only_once_published(tmp_path: Path) -> None:
    db = tmp_path / "drafts.duckdb"
    content = cli(db, "playbook", "show", "mutual-nda", "--format", "yaml").stdout
    edited = tmp_path / "nda.yaml"
    edited.write_text(content.replace("risk: high", "risk: critical", 1))
    imported = cli(db, "playbook", "import", str(edited), "--note", "stricter", "--draft")
    assert "mutual-nda@v2 " in imported.stdout and "as a draft" in imported.stdout
    assert "stricter  (draft)" in cli(db, "playbook", "list").stdout
    assert "mutual-nda@v1" in cli(db, "playbook", "show", "mutual-nda").stdout  # not the draft
    published = cli(db, "playbook", "publish", "mutual-nda")
    assert published.returncode == 0 and "published mutual-nda@v2" in published.stdout
    assert "mutual-nda@v2" in cli(db, "playbook", "show", "mutual-nda").stdout
    assert "already published" in cli(db, "playbook", "publish", "mutual-nda@2").stdout


def test_history_lists_stored_analyses_with_filters(db: Path) -> None:
    cli(db, "analyze", str(SAMPLES / "mutual-nda.docx"), "--format", "json")
    rows = json.loads(cli(db, "history", "--format", "json", "--limit", "50").stdout)
    assert rows and all(r["status"] in {"completed", "failed"} for r in rows)
    assert rows[0]["document_name"] == "mutual-nda.docx"  # newest first
    failed = json.loads(cli(db, "history", "--status", "failed", "--format", "json").stdout)
    assert all(r["status"] == "failed" for r in failed)
    text = cli(db, "history").stdout
    assert "mutual-nda.docx" in text
    missing = cli(db, "history", "--id", "does-not-exist")
    assert missing.returncode == 1 and "no stored analysis" in missing.stderr


def test_history_opens_an_analysis_by_the_short_id_it_lists(db: Path) -> None:
    cli(db, "analyze", str(SAMPLES / "mutual-nda.docx"), "--format", "json", "--quiet")
    newest = cli(db, "history").stdout.splitlines()[0]
    short = newest.split()[2]  # "2026-12-03 16:20  3f9a1c2b7d4e  completed …"
    opened = cli(db, "history", "--id", short, "--format", "json")
    assert opened.returncode == 0, opened.stderr
    analysis = json.loads(opened.stdout)
    assert analysis["analysis_id"].startswith(short) and len(short) == 12
    assert analysis["document"]["name"] == "mutual-nda.docx"
