"""Contract-level and span-level precision / recall / F1 of predicted labels against CUAD spans.

Contract level: per category, a contract is predicted positive when it has at least one label of
that type and gold positive when CUAD marks at least one span of it. A category with no gold
positives and no predictions scores F1 = 1 (nothing to find, nothing claimed).
Span level: a gold span is found when one predicted label of its type covers at least half of
its characters; a predicted label is correct when it overlaps any gold span of its type.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from bench.cuad.gold import GoldSpan


@dataclass(frozen=True)
class Predicted:
    category: str
    start: int
    end: int
    score: float | None = None  # the label's score, for the calibration table


# Score bins of the calibration table: how often a label scored in a bin is right.
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict[str, float]:
        if self.tp + self.fp + self.fn == 0:
            return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


@dataclass
class SpanTally:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    def scores(self) -> dict[str, float | None]:
        return {
            "recall": round(self.found / self.gold, 4) if self.gold else None,
            "precision": round(self.correct / self.predicted, 4) if self.predicted else None,
        }


@dataclass
class Scoreboard:
    categories: Sequence[str]
    contract: dict[str, Tally] = field(default_factory=dict)
    span: dict[str, SpanTally] = field(default_factory=dict)
    scored: list[tuple[float, bool]] = field(default_factory=list)  # (score, label right)

    def __post_init__(self) -> None:
        self.contract = {c: Tally() for c in self.categories}
        self.span = {c: SpanTally() for c in self.categories}

    def add(self, gold: Iterable[GoldSpan], predicted: Iterable[Predicted]) -> None:
        """Score one contract."""
        gold_by = _group(gold)
        pred_by = _group(predicted)
        for category in self.categories:
            g, p = gold_by.get(category, []), pred_by.get(category, [])
            tally = self.contract[category]
            tally.tp += bool(g) and bool(p)
            tally.fp += bool(p) and not g
            tally.fn += bool(g) and not p
            spans = self.span[category]
            spans.gold += len(g)
            spans.found += sum(_covered(s, p) for s in g)
            spans.predicted += len(p)
            spans.correct += sum(_overlaps(s, g) for s in p)
        for label in predicted:
            if label.score is not None:
                right = _overlaps((label.start, label.end), gold_by.get(label.category, []))
                self.scored.append((label.score, right))

    def summary(self) -> dict[str, object]:
        per = {
            c: {
                **self.contract[c].scores(),
                "positives": self.contract[c].tp + self.contract[c].fn,
                "tp": self.contract[c].tp,
                "fp": self.contract[c].fp,
                "fn": self.contract[c].fn,
                "span": self.span[c].scores(),
            }
            for c in self.categories
        }
        pooled = SpanTally(
            gold=sum(s.gold for s in self.span.values()),
            found=sum(s.found for s in self.span.values()),
            predicted=sum(s.predicted for s in self.span.values()),
            correct=sum(s.correct for s in self.span.values()),
        )
        macro = {
            key: round(sum(float(v[key]) for v in per.values()) / len(per), 4)  # type: ignore[arg-type]
            for key in ("precision", "recall", "f1")
        }
        return {
            "macro": macro,
            "span": pooled.scores(),
            "categories": per,
            "calibration": self.calibration(),
        }

    def calibration(self) -> list[dict[str, object]]:
        """Per score bin: how many labels, their mean score and the share that is right."""
        out: list[dict[str, object]] = []
        for low, high in pairwise(BINS):
            inside = [(s, r) for s, r in self.scored if low <= s < high]
            if inside:
                out.append(
                    {
                        "bin": f"{low:.1f}-{min(high, 1.0):.1f}",
                        "labels": len(inside),
                        "mean_score": round(sum(s for s, _ in inside) / len(inside), 3),
                        "right": round(sum(r for _, r in inside) / len(inside), 3),
                    }
                )
        return out


def _group(items: Iterable[GoldSpan | Predicted]) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for item in items:
        out.setdefault(item.category, []).append((item.start, item.end))
    for spans in out.values():
        spans.sort()
    return out


def _covered(span: tuple[int, int], labels: list[tuple[int, int]]) -> bool:
    """At least half of the span's characters lie inside one label."""
    need = (span[1] - span[0]) / 2
    return any(min(b, span[1]) - max(a, span[0]) >= need for a, b in labels if a < span[1])


def _overlaps(label: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    # spans are sorted by start; only those starting before the label's end can overlap it
    upto = bisect_left(spans, (label[1], -1))
    return any(b > label[0] for _, b in spans[:upto])
