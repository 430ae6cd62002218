"""Re-analysing a document this process has already read skips reading, clause extraction, key
terms and labelling: they depend only on the bytes and the settings, so they are kept (a few
recent documents, in memory) and handed out as copies."""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from core.clauses.segment import Segment
from core.documents.model import LoadedDocument
from core.models import InputWarning, KeyTerms

Key = tuple[str, str]


@dataclass(frozen=True)
class Extraction:
    doc: LoadedDocument
    segments: list[Segment]  # labelled
    terms: KeyTerms
    input_warnings: list[InputWarning]


def extraction_key(data: bytes, filename: str) -> Key:
    """The bytes and the name's extension (which can decide how the bytes are read)."""
    return hashlib.sha256(data).hexdigest(), filename.rsplit(".", 1)[-1].lower()


class ExtractionCache:
    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._items: OrderedDict[Key, Extraction] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> Extraction | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
        return copy.deepcopy(found) if found is not None else None

    def put(self, key: Key, extraction: Extraction) -> None:
        kept = copy.deepcopy(extraction)
        with self._lock:
            self._items[key] = kept
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
