"""The shipped vectors cover every text a fresh database embeds before a contract's own (the
taxonomy, the bundled playbooks), and a fresh install's first analysis uses them instead of
embedding those texts again."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.pipeline import runner
from core.pipeline.events import FinalEvent
from core.pipeline.services import open_services
from core.settings import Settings
from core.vectors.embeddings import text_sha256
from core.vectors.seed import SEED_FILE, SeedVectors
from scripts.build_seed_vectors import constant_vectors
from tests.fakes import FakeEmbedder

REBUILD = "run: .venv/bin/python scripts/build_seed_vectors.py"


def test_shipped_vectors_cover_the_taxonomy_and_every_bundled_playbook() -> None:
    _, needed = constant_vectors(FakeEmbedder())
    with np.load(SEED_FILE) as shipped:
        hashes = {str(h) for h in shipped["hashes"]}
        assert shipped["vectors"].shape == (len(hashes), 384)
        assert str(shipped["model"]) == "all-MiniLM-L6-v2"
    stale = set(needed) - hashes
    assert not stale, f"{len(stale)} texts changed since the seed vectors were built; {REBUILD}"


class CountingFake(FakeEmbedder):
    """The fake model, under the real model's name, so the shipped vectors apply to it."""

    model_id = "all-MiniLM-L6-v2"

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.texts += list(texts)
        return super().encode(texts)


def test_a_fresh_install_embeds_only_the_contracts_own_text(tmp_path: Path) -> None:
    document = "Governing law. This Agreement is governed by the laws of Delaware."
    fake = CountingFake()
    services = open_services(
        Settings.from_env({"CA_DB_PATH": str(tmp_path / "fresh.duckdb")}), embedder=fake
    )
    try:
        events = list(runner.run(services, document.encode(), "short.txt", store=False))
    finally:
        services.close()
    final = events[-1]
    assert isinstance(final, FinalEvent) and final.analysis.status == "completed"
    assert fake.texts and all(text in document for text in fake.texts), fake.texts[:5]


def test_seed_vectors_are_only_for_the_model_they_were_computed_with() -> None:
    with np.load(SEED_FILE) as shipped:
        sha = str(shipped["hashes"][0])
    seed = SeedVectors()
    assert seed.get("some-other-model", [sha]) == {}
    assert seed.get("all-MiniLM-L6-v2", [sha, text_sha256("never shipped")]).keys() == {sha}
