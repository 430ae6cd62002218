"""A process for test_crash.py to kill: it completes one analysis, starts another, announces
where it is, then hangs at the requested point until SIGKILL arrives.

python -m tests.crash_worker DB_PATH PHASE   (PHASE: embedding | findings | writing)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

import numpy as np

from core.pipeline import runner
from core.pipeline.events import FindingEvent, StatusEvent
from core.pipeline.services import open_services
from core.settings import Settings
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder


def say(message: str) -> None:
    print(message, flush=True)


class HangingEmbedder(FakeEmbedder):
    """Hangs in the middle of embedding once `armed` and after `after` more calls."""

    armed = False
    after = 1

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self.armed:
            if self.after == 0:
                say("EMBEDDING")
                time.sleep(120)
            self.after -= 1
        return super().encode(texts)


def main(db: str, phase: str) -> None:
    embedder = HangingEmbedder()
    services = open_services(Settings.from_env({"CA_DB_PATH": db}), embedder=embedder)
    nda = (SAMPLES / "mutual-nda.docx").read_bytes()
    final = list(runner.run(services, nda, "mutual-nda.docx"))[-1]
    say(f"DONE {final.analysis_id}")
    embedder.armed = phase == "embedding"
    saas = (SAMPLES / "saas-subscription-agreement.pdf").read_bytes()
    seen = 0
    for event in runner.run(services, saas, "saas.pdf"):
        if isinstance(event, StatusEvent) and event.stage == "load":
            say(f"RUNNING {event.analysis_id}")
        if isinstance(event, FindingEvent):
            seen += 1
            if seen == 2 and phase == "findings":
                say("FINDINGS 2")
                time.sleep(120)
            if seen == 2 and phase == "writing":
                # A write cut off mid-transaction: it must vanish, the rest must stay.
                with services.store.transaction() as cur:
                    cur.execute(
                        "INSERT INTO findings (analysis_id, id, ordinal, clause_type, kind, risk,"
                        " source_text, start_offset, end_offset, deviation, recommendation,"
                        " retrieved_chunks) VALUES (?, 'half', 99, 'x', 'deviation', 'low', '',"
                        " 0, 0, '', '', '[]')",
                        [event.analysis_id],
                    )
                    say("WRITING")
                    time.sleep(120)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
