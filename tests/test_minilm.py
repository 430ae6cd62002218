"""The model run without torch gives the vectors sentence-transformers gives, and an analysis
from the command line never imports torch (that import alone cost ~7 s per process)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from core.vectors.embeddings import SentenceTransformerEmbedder
from tests.conftest import ROOT, SAMPLES

TEXTS = [
    "The Supplier shall indemnify the Customer against third-party intellectual property claims.",
    "Fees are payable within forty-five (45) days after receipt of a correct invoice.",
    "NOTICES. All notices must be in writing — délivrées en mains propres — or sent by e-mail.",
    "a",
    "",
    # Longer than the model's 256 word pieces: both must cut it at the same place.
    "Each party shall keep the other party's confidential information secret. " * 40,
]


@pytest.mark.slow
def test_numpy_backend_gives_the_library_vectors() -> None:
    ours = SentenceTransformerEmbedder(backend="numpy").encode(TEXTS)
    library = SentenceTransformerEmbedder(backend="torch").encode(TEXTS)
    assert ours.shape == library.shape == (len(TEXTS), 384)
    assert np.abs(ours - library).max() < 1e-5
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_numpy_backend_keeps_the_order_of_texts_of_mixed_lengths() -> None:
    embedder = SentenceTransformerEmbedder(backend="numpy")
    together = embedder.encode(TEXTS)
    one_by_one = np.stack([embedder.encode([t])[0] for t in TEXTS])
    assert np.abs(together - one_by_one).max() < 1e-5


def test_an_analysis_on_the_command_line_does_not_import_torch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['core', 'analyze', sys.argv[1], '--format', 'json', '--quiet']\n"
        "try:\n"
        "    runpy.run_module('core', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print('TORCH' if 'torch' in sys.modules else 'NO TORCH', file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CA_", "ANTHROPIC_"))}
    env["CA_DB_PATH"] = str(tmp_path / "cli.duckdb")
    result = subprocess.run(
        [sys.executable, "-c", probe, str(SAMPLES / "professional-services-agreement.txt")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert '"findings"' in result.stdout
    assert result.stderr.strip().endswith("NO TORCH"), result.stderr[-2000:]
