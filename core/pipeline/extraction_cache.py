"""Re-analysing a document this process has already read skips reading, clause extraction, key
terms and labelling: they depend only on the bytes and the settings, so they are kept in memory
(most recently used first, up to a budget of document characters) and handed out as copies."""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

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
    def __init__(self, max_chars: int = 8_000_000) -> None:
        # ~8M characters of contracts (a few hundred typical ones) cost some 50 MB here.
        self._max_chars = max_chars
        self._items: OrderedDict[Key, Extraction] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, key: Key) -> Extraction | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
        return copy.deepcopy(found) if found is not None else None

    def put(self, key: Key, extraction: Extraction) -> None:
        # The character map back to the source is only needed while reading: not kept.
        slim = replace(extraction.doc, source_map=[], raw_text="")
        kept = copy.deepcopy(replace(extraction, doc=slim))
        with self._lock:
            if key in self._items:
                self._chars -= len(self._items.pop(key).doc.text)
            self._items[key] = kept
            self._chars += len(kept.doc.text)
            while self._chars > self._max_chars and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._chars -= len(dropped.doc.text)
