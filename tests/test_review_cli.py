"""The reviewer's desk from the command line, as a user runs it: analyse a Word contract, accept
every finding, export the redline and the memo; LibreOffice opens the redline. Real model, real
subprocesses, a temporary DuckDB."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from core.documents.loader import read
from core.settings import Settings
from tests.conftest import SAMPLES
from tests.redline_xml import changes, comments, reject_all
from tests.test_cli import cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reviewed_docx(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, Path, Path]:
    tmp = tmp_path_factory.mktemp("review")
    db = tmp / "review.duckdb"
    done = cli(db, "analyze", str(SAMPLES / "mutual-nda.docx"), "--format", "json", "--quiet")
    assert done.returncode == 0, done.stderr
    analysis = json.loads(done.stdout)
    assert analysis["findings"], "the sample NDA should raise findings to review"
    accepted = cli(db, "review", analysis["analysis_id"][:12], "--accept", "all", "--user", "Ann")
    assert accepted.returncode == 0, accepted.stderr
    assert f"{len(analysis['findings'])} of {len(analysis['findings'])} decided" in accepted.stdout
    redline, memo = tmp / "out" / "nda-redline.docx", tmp / "out" / "nda-memo.md"
    for fmt, out in (("docx", redline), ("md", memo)):
        result = cli(db, "export", analysis["analysis_id"], "--format", fmt, "--out", str(out))
        assert result.returncode == 0 and result.stderr == "", result.stderr
    return db, analysis, redline, memo


def test_review_accept_all_then_export_gives_a_redline_of_the_original(
    reviewed_docx: tuple[Path, dict, Path, Path],
) -> None:
    _, analysis, redline, memo = reviewed_docx
    content = redline.read_bytes()
    quoted = [f for f in analysis["findings"] if f["kind"] != "missing" and f["recommendation"]]
    dels, ins = changes(content)
    assert len(dels) >= len(quoted) and len(ins) == len(analysis["findings"])
    assert len(comments(content)) == len(analysis["findings"])
    assert all(
        d.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}author") == "Ann"
        for d in dels
    )
    original = read(reject_all(content), "nda.docx", Settings.from_env({})).text
    assert original == analysis["document"]["text"]
    # The original's formatting survives: its heading styles are still there.
    styles = {p.style.name for p in docx.Document(str(redline)).paragraphs}
    assert "Heading 1" in styles
    text = memo.read_text()
    assert text.count("**Decision.** Accepted by Ann on ") == len(analysis["findings"])


def test_review_refuses_a_dismissal_without_a_reason_and_stores_nothing(
    reviewed_docx: tuple[Path, dict, Path, Path],
) -> None:
    db, analysis, _, _ = reviewed_docx
    result = cli(db, "review", analysis["analysis_id"], "--dismiss", "f1")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: say why the finding is dismissed")
    shown = cli(db, "review", analysis["analysis_id"], "--format", "json")
    assert [d["action"] for d in json.loads(shown.stdout)["decisions"]] == ["accept"] * len(
        analysis["findings"]
    )


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_redline(
    reviewed_docx: tuple[Path, dict, Path, Path], tmp_path: Path
) -> None:
    _, _, redline, _ = reviewed_docx
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(redline),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "nda-redline.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
