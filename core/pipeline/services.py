"""The collaborators one analysis needs, built once per process and passed in (never global)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from core.engine.base import Engine
from core.engine.factory import build_engine
from core.labels.labeler import Labeler, LabelParams
from core.labels.model import load_model
from core.pipeline.extraction_cache import ExtractionCache
from core.playbooks.library import seed_bundled
from core.settings import Settings
from core.store import Store
from core.taxonomy import load_taxonomy
from core.vectors.embeddings import CachedEmbedder, Embedder, SentenceTransformerEmbedder
from core.vectors.retrieval import IndexCache
from core.vectors.seed import SeedVectors
from core.verdicts.relation import RelationModel, load_relation_model


@dataclass
class Services:
    settings: Settings
    store: Store
    embedder: CachedEmbedder
    indexes: IndexCache
    engine: Engine
    extractions: ExtractionCache = field(default_factory=ExtractionCache, repr=False)
    _labeler: Labeler | None = field(default=None, repr=False)
    _relations: RelationModel | None = field(default=None, repr=False)
    _relations_loaded: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def labeler(self) -> Labeler:
        """The taxonomy's prototype vectors are embedded on first use (then cached in DuckDB)."""
        with self._lock:
            if self._labeler is None:
                params = LabelParams(threshold=self.settings.label_threshold)
                types = load_taxonomy()
                model = load_model(tuple(t.name for t in types), self.embedder.model_id)
                self._labeler = Labeler(types, self.embedder, params, model)
            return self._labeler

    def relation_model(self) -> RelationModel | None:
        """The trained check-relation model (None when it does not fit this embedder)."""
        with self._lock:
            if not self._relations_loaded:
                self._relations = load_relation_model(self.embedder.model_id)
                self._relations_loaded = True
            return self._relations

    def warm(self, version_id: str) -> bool:
        """True when the model, taxonomy vectors and this playbook version's index are ready."""
        return self._labeler is not None and self.indexes.has(version_id)

    def close(self) -> None:
        self.store.close()


def open_services(
    settings: Settings,
    embedder: Embedder | None = None,
    engine: Engine | None = None,
    store: Store | None = None,
) -> Services:
    owned = store is None
    store = store or Store(settings.db_path)
    try:
        engine = engine or build_engine(settings, store)
    except BaseException:
        if owned:
            store.close()
        raise
    seed_bundled(store)
    inner = embedder or SentenceTransformerEmbedder(
        settings.embedding_model,
        settings.embedding_batch_size,
        settings.embedding_int8,
        settings.embedding_backend,
    )
    cached = CachedEmbedder(inner, store, seed=SeedVectors())
    return Services(
        settings=settings,
        store=store,
        embedder=cached,
        indexes=IndexCache(store, cached),
        engine=engine,
    )
