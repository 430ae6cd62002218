"""The DuckDB store: migrations, immutable playbook versions, the embedding cache, recovery."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest

from core.errors import NotFound, PlaybookError, StoreError
from core.playbooks.library import import_playbook
from core.store import Store
from core.store.database import INTERRUPTED_MESSAGE
from core.store.migrations import MIGRATIONS

PLAYBOOK = """
name: tiny
title: Tiny playbook
rules:
  - type: Payment Terms
    required: true
    risk: medium
    standard:
      text: Invoices are payable within 30 days.
      accept_if: ['within (thirty|30)']
    thresholds:
      - {term: payment_terms_days, op: ">=", value: 30, risk: medium, description: 30 days.}
    recommendation: Customer pays undisputed invoices within thirty (30) days of receipt.
"""


def test_migrations_run_once_in_order(tmp_path: Path) -> None:
    first = Store(tmp_path / "a.duckdb")
    assert first.applied_migrations == [name for name, _ in MIGRATIONS]
    first.close()
    again = Store(tmp_path / "a.duckdb")
    assert again.applied_migrations == []
    again.close()


def test_importing_changed_content_creates_a_version_and_identical_is_a_no_op(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "a.duckdb")
    v1, created1 = import_playbook(store, PLAYBOOK, "first")
    same, created_again = import_playbook(store, PLAYBOOK, "again")
    v2, created2 = import_playbook(store, PLAYBOOK.replace("30 days.", "45 days."), "longer")
    assert (created1, created_again, created2) == (True, False, True)
    assert same.id == v1.id == "tiny@v1" and v2.id == "tiny@v2"
    # The first version is untouched: same content, hash and note as when it was imported.
    stored_v1 = store.get_version("tiny", 1)
    assert (stored_v1.content, stored_v1.sha256, stored_v1.change_note) == (
        PLAYBOOK,
        v1.sha256,
        "first",
    )
    assert [c.id for c, _ in store.load_chunks("tiny@v1")] == [
        "tiny@v1/payment-terms/standard-1",
        "tiny@v1/payment-terms/threshold-1",
        "tiny@v1/payment-terms/required-1",
    ]
    store.close()


def test_bad_playbooks_are_rejected_with_a_clear_message(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.duckdb")
    with pytest.raises(PlaybookError, match="change note is required"):
        import_playbook(store, PLAYBOOK, "  ")
    with pytest.raises(PlaybookError, match="unknown clause type"):
        import_playbook(store, PLAYBOOK.replace("Payment Terms", "Payment Termz"), "typo")
    with pytest.raises(PlaybookError, match="not valid YAML"):
        import_playbook(store, "name: [unclosed", "broken")
    with pytest.raises(PlaybookError, match="a playbook needs at least one rule or check"):
        import_playbook(store, "name: tiny\ntitle: T\nrules: []\n", "empty")
    assert store.list_playbooks() == []
    store.close()


def test_embedding_cache_round_trips_vectors(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.duckdb")
    vectors = {"aa": np.arange(4, dtype="float32"), "bb": np.ones(4, dtype="float32")}
    store.put_embeddings("m", vectors)
    store.put_embeddings("m", vectors)  # a second put of the same keys is harmless
    got = store.get_embeddings("m", ["aa", "bb", "cc"])
    assert set(got) == {"aa", "bb"}
    np.testing.assert_array_equal(got["aa"], vectors["aa"])
    assert store.get_embeddings("other-model", ["aa"]) == {}
    store.close()


def test_running_analyses_become_interrupted_on_next_open(tmp_path: Path) -> None:
    path = tmp_path / "a.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute(
        "INSERT INTO analyses (id, created_at, status, document_name, engine, parameters)"
        " VALUES ('x1', now(), 'running', 'c.pdf', 'offline', '{}')"
    )
    con.close()
    store = Store(path)
    assert store.recovered == 1
    analysis = store.load_analysis("x1")
    assert (analysis.status, analysis.error) == ("interrupted", INTERRUPTED_MESSAGE)
    store.close()


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"junk\.duckdb"):
        Store(path)


def test_an_analysis_is_found_by_the_start_of_its_id(tmp_path: Path) -> None:
    path = tmp_path / "a.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    for analysis_id in ("3f9a1c2b7d4e-0001", "3f9a1c2b7d4e-0002", "a_b%c-0003"):
        con.execute(
            "INSERT INTO analyses (id, created_at, status, document_name, engine, parameters)"
            " VALUES (?, now(), 'completed', 'c.pdf', 'offline', '{}')",
            [analysis_id],
        )
    con.close()
    store = Store(path)
    try:
        assert store.resolve_analysis_id("3f9a1c2b7d4e-0002") == "3f9a1c2b7d4e-0002"
        assert store.resolve_analysis_id("a_b%") == "a_b%c-0003"
        with pytest.raises(NotFound, match="several stored analyses start with '3f9a1c2b7d4e'"):
            store.resolve_analysis_id("3f9a1c2b7d4e")
        with pytest.raises(NotFound, match="no stored analysis 'a_bx'"):
            store.resolve_analysis_id("a_bx")  # _ and % are characters, not wildcards
        with pytest.raises(NotFound, match="no stored analysis"):
            store.resolve_analysis_id("ffff")
    finally:
        store.close()
