"""ContractNLI NDAs (CC BY 4.0) read the way the pipeline reads a contract: the normalised text,
its sentences (core/verdicts.document_sentences) and their MiniLM vectors, with each of the 17
positions' gold label and evidence spans mapped onto that text. Shared by the check-relation
model's training script and bench/contractnli_eval.py. No text from the data is written anywhere.

The positions are written as checks in our own words in bench/contractnli_checks.yaml."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from core.clauses.segment import extract_clauses
from core.documents.normalize import map_offsets, normalize
from core.playbooks.schema import Check, Playbook
from core.verdicts.judge import document_sentences

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
CHECKS_FILE = ROOT / "bench" / "contractnli_checks.yaml"
LABEL_OF = {"Entailment": "states", "Contradiction": "contradicts", "NotMentioned": "silent"}
CLASS_OF = {"states": 0, "contradicts": 1, "silent": 2}


@dataclass
class Gold:
    verdict: str  # states | contradicts | silent
    spans: list[tuple[int, int]]  # evidence, offsets into the normalised text


@dataclass
class Nda:
    id: str
    raw: str  # the text as the dataset gives it (what the pipeline is handed)
    text: str  # normalised, as the pipeline analyses it
    sentences: list[tuple[int, int]]
    gold: dict[str, Gold]  # dataset key (nda-1 ...) -> gold


def read_ndas(path: Path) -> Iterator[Nda]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            raw = str(row["text"])
            text, source_map = normalize(raw)
            spans = [(int(a), int(b)) for a, b in row["spans"]]
            starts = map_offsets(source_map, [a for a, _ in spans])
            ends = map_offsets(source_map, [b for _, b in spans])
            mapped = list(zip(starts, ends, strict=True))
            gold = {
                key: Gold(LABEL_OF[ann["choice"]], [mapped[i] for i in ann["spans"]])
                for key, ann in row["annotations"].items()
            }
            segments = extract_clauses(text)
            yield Nda(str(row["id"]), raw, text, document_sentences(text, segments), gold)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two spans match when they share at least half of the shorter one."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def sentence_classes(nda: Nda, key: str) -> np.ndarray:
    """Per sentence: 0 states, 1 contradicts (it holds the gold evidence), else 2 silent."""
    gold = nda.gold[key]
    out = np.full(len(nda.sentences), CLASS_OF["silent"], dtype="int64")
    if gold.verdict != "silent":
        for i, sentence in enumerate(nda.sentences):
            if any(overlaps(sentence, span) for span in gold.spans):
                out[i] = CLASS_OF[gold.verdict]
    return out


def eval_checks() -> list[tuple[str, Check]]:
    """(dataset key, check) for the 17 positions as we wrote them."""
    raw: list[dict[str, Any]] = yaml.safe_load(CHECKS_FILE.read_text(encoding="utf-8"))["checks"]
    out = []
    for item in raw:
        fields = {k: v for k, v in item.items() if k != "key"}
        fields.setdefault("recommendation", item["statement"])
        out.append((str(item["key"]), Check.model_validate(fields)))
    return out


def eval_playbook() -> Playbook:
    """The 17 checks as a playbook the pipeline can run (bench only, never bundled)."""
    return Playbook(
        name="contractnli-eval",
        title="ContractNLI positions (evaluation only)",
        perspective="mutual",
        contract_types=["nda"],
        checks=[check for _, check in eval_checks()],
    )


def dataset_hypotheses() -> dict[str, str]:
    """The dataset's own wording of each position: a second phrasing to train on, so the model
    learns the position rather than one way of putting it (read at training time, never stored)."""
    raw = json.loads((EVAL / "contractnli-hypotheses.json").read_text(encoding="utf-8"))
    return {key: str(value["hypothesis"]) for key, value in raw.items()}
