"""How well the product tells what a document is (core/doctype): contract or not, and which kind.

    python bench/doctype_eval.py [--split train|dev|both]

Real contracts from ../shared/eval (CUAD: its filing names the agreement's kind; ContractNLI:
all NDAs) are read as the pipeline reads them (the document's own title from its text, never
the file name) and scored: accuracy and per-kind F1 of the type, and how many real contracts
would be refused as "not a contract". Texts that are not contracts, written by us
(bench/not_contracts.py), must all be refused. Study errors on train; report dev.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.not_contracts import NOT_CONTRACTS  # noqa: E402
from core.doctype.detect import contract_type, read_as_contract  # noqa: E402
from core.documents.normalize import normalize  # noqa: E402
from core.models import ContractKind  # noqa: E402
from core.terms.titles import document_name  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
KINDS: tuple[ContractKind, ...] = ("nda", "saas", "services", "licence", "distribution", "other")

# The kind of a CUAD contract, from the agreement kind its filing names (CUAD's own contract
# types), first match wins: how a reviewer would file it, not what the detector reads.
_GOLD = (
    ("nda", r"non[\s-]?disclosure|confidentiality agreement"),
    ("saas", r"hosting"),
    ("licence", r"licen[cs]|intellectual property agreement"),
    ("distribution", r"distributor|reseller|supply|manufacturing|purchase"),
    ("services", r"service|consulting|outsourcing|maintenance|development|servicing"),
)


def gold_kind(title: str) -> ContractKind:
    """From the filing name after its exhibit number, e.g. "...-EX-10.31-DISTRIBUTOR AGREEMENT"."""
    kind = re.split(r"EX-[\w.()]+", title)[-1]
    for name, pattern in _GOLD:
        if re.search(pattern, kind, re.IGNORECASE):
            return name  # type: ignore[return-value]
    return "other"


def documents(split: str) -> Iterator[tuple[str, str, ContractKind]]:
    """(id, text, gold kind) of every real contract of the split."""
    for line in (EVAL / f"cuad-{split}.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        yield row["title"], row["text"], gold_kind(row["title"])
    for line in (EVAL / f"contractnli-{split}.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        yield f"contractnli {row['id']}", row["text"], "nda"


def evaluate(split: str) -> dict[str, object]:
    confusion: Counter[tuple[str, str]] = Counter()
    refused: list[str] = []
    basis: Counter[str] = Counter()
    for name, raw, gold in documents(split):
        text = normalize(raw)[0]
        if not read_as_contract(text).is_contract:
            refused.append(name)
        title = document_name(text)
        found = contract_type(text, title.value if title else None)
        basis[found.basis] += 1
        confusion[(gold, found.type)] += 1
    total = sum(confusion.values())
    right = sum(n for (g, p), n in confusion.items() if g == p)
    per_kind = {}
    for kind in KINDS:
        tp = confusion[(kind, kind)]
        fp = sum(n for (g, p), n in confusion.items() if p == kind and g != kind)
        fn = sum(n for (g, p), n in confusion.items() if g == kind and p != kind)
        support = tp + fn
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
        per_kind[kind] = {"support": support, "f1": None if f1 is None else round(f1, 3)}
    scored = [v["f1"] for v in per_kind.values() if v["support"]]
    return {
        "split": split,
        "documents": total,
        "accuracy": round(right / total, 3),
        "macro_f1": round(sum(scored) / len(scored), 3),  # type: ignore[arg-type]
        "per_kind": per_kind,
        "by_title": basis["title"],
        "refused_real_contracts": refused,
        "confusion": {f"{g} -> {p}": n for (g, p), n in sorted(confusion.items()) if g != p},
    }


def refused_not_contracts() -> tuple[int, list[str]]:
    kept = [name for name, text in NOT_CONTRACTS if read_as_contract(text).is_contract]
    return len(NOT_CONTRACTS) - len(kept), kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["train", "dev", "both"], default="dev")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"{EVAL} is not here: the evaluation data sits beside the project", file=sys.stderr)
        return 1
    for split in ("train", "dev") if args.split == "both" else (args.split,):
        result = evaluate(split)
        print(f"\n{split}: {result['documents']} real contracts")
        print(
            f"  type accuracy {result['accuracy']:.3f}, macro-F1 {result['macro_f1']:.3f}"
            f" (kind named by the title: {result['by_title']})"
        )
        for kind, row in result["per_kind"].items():  # type: ignore[attr-defined]
            print(f"    {kind:<13} support {row['support']:>3}  F1 {row['f1']}")
        print(
            f"  real contracts refused as not a contract: {len(result['refused_real_contracts'])}"
        )  # type: ignore[arg-type]
        for name in result["refused_real_contracts"]:  # type: ignore[attr-defined]
            print(f"    {name}")
        if split == "train":
            for pair, n in result["confusion"].items():  # type: ignore[attr-defined]
                print(f"    confused {pair}: {n}")
    refused, kept = refused_not_contracts()
    print(f"\ntexts that are not contracts (ours): {refused} of {len(NOT_CONTRACTS)} refused")
    for name in kept:
        print(f"  taken for a contract: {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
