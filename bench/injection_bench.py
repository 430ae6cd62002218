"""Injection guard benchmark: recall on the labelled attacks of injection-dev.jsonl and the
false-positive rate on clean contract passages (1–3k characters) cut from cuad-dev.jsonl.

    python bench/injection_bench.py [--out bench/results/injection.json] [--show N]

Bar (issue 6): recall >= 0.95 on injected rows; false-positive rate <= 1% on clean passages.
The benign rows of injection-dev (chat prompts and e-mails) are reported too, but are not part
of the bar: inside a contract, a chat request is itself out of place.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.documents import normalize  # noqa: E402
from core.guards import SUSPICIOUS, check_text, verdict  # noqa: E402
from core.models import InputWarning  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
MIN_PASSAGE, MAX_PASSAGE = 1000, 3000


def passages(text: str) -> list[tuple[int, str]]:
    """Consecutive passages of 1–3k characters, cut at paragraph (else line, else any) breaks."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > MAX_PASSAGE:
        window = text[start : start + MAX_PASSAGE]
        cut = max(window.rfind("\n\n", MIN_PASSAGE), window.rfind("\n", MIN_PASSAGE))
        end = start + (cut if cut >= MIN_PASSAGE else MAX_PASSAGE)
        out.append((start, text[start:end]))
        start = end
    if len(text) - start >= MIN_PASSAGE or not out:
        out.append((start, text[start:]))
    else:  # a short tail joins the previous passage (which may then exceed 3k slightly)
        prev_start, _ = out.pop()
        out.append((prev_start, text[prev_start:]))
    return out


def _signals(warnings: list[InputWarning]) -> list[dict[str, object]]:
    return [
        {"kind": w.kind, "start": w.start, "score": w.score, "excerpt": w.excerpt}
        for w in warnings
        if w.score >= SUSPICIOUS
    ]


def run_injection(path: Path) -> dict[str, object]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    misses, alarms, kinds = [], [], Counter[str]()
    caught = attacks = benign_flagged = 0
    for index, row in enumerate(rows):
        warnings = check_text(row["text"])
        if verdict(warnings) == "clean":
            warnings = []
        kinds.update({w.kind for w in warnings})
        if row["label"] == 1:
            attacks += 1
            caught += bool(warnings)
            if not warnings:
                misses.append({"row": index, "source": row["source"], "text": row["text"][:200]})
        elif warnings:
            benign_flagged += 1
            alarms.append({"row": index, "source": row["source"], "signals": _signals(warnings)})
    benign = len(rows) - attacks
    return {
        "rows": len(rows),
        "attacks": attacks,
        "caught": caught,
        "recall": round(caught / attacks, 4) if attacks else None,
        "benign_rows": benign,
        "benign_flagged": benign_flagged,
        "signal_kinds_on_rows": dict(kinds.most_common()),
        "misses": misses,
        "benign_flagged_rows": alarms,
    }


def run_cuad(path: Path) -> dict[str, object]:
    total = flagged = chars = 0
    alarms, kinds = [], Counter[str]()
    started = time.perf_counter()
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        text, _ = normalize(row["text"])
        for offset, passage in passages(text):
            total += 1
            chars += len(passage)
            warnings = check_text(passage)
            if verdict(warnings) == "suspicious":
                flagged += 1
                kinds.update(w.kind for w in warnings)
                alarms.append(
                    {"contract": row["id"], "offset": offset, "signals": _signals(warnings)}
                )
    seconds = time.perf_counter() - started
    return {
        "passages": total,
        "flagged": flagged,
        "false_positive_rate": round(flagged / total, 4) if total else None,
        "signal_kinds": dict(kinds.most_common()),
        "chars_per_second": round(chars / seconds) if seconds else None,
        "false_positives": alarms,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "injection.json")
    parser.add_argument("--show", type=int, default=20, help="misses/alarms listed on stdout")
    args = parser.parse_args()
    injection, cuad = EVAL / "injection-dev.jsonl", EVAL / "cuad-dev.jsonl"
    if not (injection.exists() and cuad.exists()):
        print(f"skipped: the evaluation data is not at {EVAL} (it is not part of the repository)")
        return 0
    result = {"injection": run_injection(injection), "cuad": run_cuad(cuad)}
    inj, clean = result["injection"], result["cuad"]
    recall, fpr = inj["recall"], clean["false_positive_rate"]
    result["bar"] = {"recall>=0.95": recall >= 0.95, "fpr<=0.01": fpr <= 0.01}  # type: ignore[operator]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(
        f"injection-dev: recall {recall} ({inj['caught']}/{inj['attacks']} attacks caught); "
        f"benign rows flagged {inj['benign_flagged']}/{inj['benign_rows']}"
    )
    print(
        f"cuad-dev: false-positive rate {fpr} ({clean['flagged']}/{clean['passages']} passages); "
        f"{clean['chars_per_second']:,} chars/s"
    )
    print(f"signal kinds on injection rows: {inj['signal_kinds_on_rows']}")
    for miss in inj["misses"][: args.show]:  # type: ignore[index]
        print(f"  MISS row {miss['row']} {miss['source']}: {miss['text'][:100]!r}")
    for alarm in clean["false_positives"][: args.show]:  # type: ignore[index]
        for signal in alarm["signals"]:
            print(
                f"  FP {alarm['contract'][:40]}@{alarm['offset']} {signal['kind']}: "
                f"{signal['excerpt'][:110]!r}"
            )
    print(f"bar met: {result['bar']}; details in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
