"""Train the clause-type model shipped in data/models/clause_types.npz from CUAD's training
contracts (../shared/eval/cuad-train.jsonl; CUAD v1, The Atticus Project, CC BY 4.0).

    .venv/bin/python scripts/train_clause_types.py [--data PATH] [--out PATH]

Reads each contract as the pipeline does (clauses, key terms, MiniLM vectors, cue features),
fits one logistic scorer per CUAD type and chooses each type's threshold on 5-fold out-of-fold
probabilities. Deterministic; takes about 20 minutes on two cores the first time (encoding the
clauses), about two minutes after that (vectors cached in bench/results/). Only the weights are
written: no contract text. The dev contracts are never read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cuad.features import prepare  # noqa: E402
from bench.cuad.gold import read_contracts  # noqa: E402
from bench.cuad.training import FitParams, fit_model  # noqa: E402
from core.labels.model import MODEL_FILE  # noqa: E402
from core.pipeline.services import open_services  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.taxonomy import CUAD_TYPES  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "cuad-train.jsonl"
CACHE = ROOT / "bench" / "results" / "cuad_features.duckdb"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found: the CUAD training data lives beside the project")
    if "dev" in args.data.name:
        sys.exit("refusing to train on the dev set: it is only for reporting")
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    services = open_services(Settings.from_env({"CA_DB_PATH": str(CACHE)}))
    try:
        labeler = services.labeler()
        items = prepare(services, read_contracts(args.data), tuple(CUAD_TYPES))
        feature_types = tuple(t.name for t in labeler.types)
        model = fit_model(
            items, tuple(CUAD_TYPES), feature_types, services.embedder.model_id, FitParams()
        )
    finally:
        services.close()
    model.save(args.out)
    size = args.out.stat().st_size / 1024
    print(
        f"trained on {len(items)} contracts; {len(model.types)} types; {size:.0f} KB -> {args.out}"
    )
    for name, threshold in zip(model.types, model.thresholds, strict=True):
        print(f"  {name:<36} threshold {threshold:.3f}")


if __name__ == "__main__":
    main()
