"""The arguments of `review` and `export` (kept apart from the commands, so that `--help` does
not import the store or python-docx)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from core.models import Action, DismissReason
from core.review.model import REASON_WORDS

ACTIONS: tuple[Action, ...] = ("accept", "dismiss", "edit", "reopen")
if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def reason(value: str) -> DismissReason:
    """argparse type: 'false-alarm', 'false alarm' and 'false_alarm' are the same reason."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in REASON_WORDS:
        raise argparse.ArgumentTypeError(
            f"unknown reason {value!r}; use false-alarm, acceptable-risk or already-agreed"
        )
    return key  # type: ignore[return-value]


def add_review(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    review = sub.add_parser(
        "review", parents=[common], help="accept, dismiss or edit findings; show a review"
    )
    review.add_argument("analysis_id", help="as `history` lists it (a prefix is enough)")
    chosen = review.add_mutually_exclusive_group()
    for action in ACTIONS:
        chosen.add_argument(
            f"--{action}", nargs="+", metavar="FINDING_ID", help=f"{action} these findings, or all"
        )
    review.add_argument(
        "--reason", type=reason, help="why dismissed: false-alarm, acceptable-risk, already-agreed"
    )
    review.add_argument("--note", help="a note kept with the decision")
    review.add_argument(
        "--risk", choices=["low", "medium", "high", "critical"], help="--edit: new risk"
    )
    review.add_argument("--recommendation", help="--edit: the wording to ask for instead")
    review.add_argument("--user", help="who decides (default: $CA_REVIEWER, else your login)")
    review.add_argument("--format", choices=["text", "json"], default="text")


def add_export(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    export = sub.add_parser(
        "export", parents=[common], help="the reviewed analysis as a redlined .docx or a memo"
    )
    export.add_argument("analysis_id", help="as `history` lists it (a prefix is enough)")
    export.add_argument("--format", choices=["docx", "md"], required=True)
    export.add_argument("--out", type=Path, required=True, help="file to write")
    export.add_argument(
        "--author", help="name on the tracked changes (default: $CA_REVIEWER, else the reviewer)"
    )
