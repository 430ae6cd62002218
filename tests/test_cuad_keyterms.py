"""Scoring the party list against CUAD's "Parties" answer (bench/cuad/parties.py): how the
answer is read and when two names count as the same party. Names invented for these tests."""

from __future__ import annotations

import pytest

from bench.cuad.evaluate import key_term_summary
from bench.cuad.keyterms import FIELDS, judge
from bench.cuad.parties import gold_parties, parties_ok
from core.models import KeyTerms

ANSWER = (
    'BRISTLECONE SYSTEMS, INC. ("Bristlecone"); Marlow & Finch Ltd ("Supplier"); Bristlecone and '
    'Supplier (each a "Party"; together the "Parties")'
)


def test_short_names_and_collective_definitions_are_not_parties() -> None:
    assert gold_parties(ANSWER) == ["bristlecone systems", "marlow and finch"]
    assert gold_parties('Osprey Bank, N.A. ("Osprey"); Vendor ("Vendor")') == ["osprey bank"]
    assert gold_parties('[] ("Franchisee")') is None


@pytest.mark.parametrize(
    ("ours", "correct"),
    [
        (["Bristlecone Systems, Inc.", "Marlow & Finch Limited"], True),
        (["BRISTLECONE SYSTEMS INC", "Marlow and Finch Ltd."], True),
        (["Bristlecone Systems, Inc."], False),  # the counterparty is missing
        (["Bristlecone Systems, Inc.", "Marlow & Finch Ltd", "Term Unless"], False),  # a heading
        (["Bristlecone Systems", "Marlow & Finch Ltd (UK)"], True),
    ],
)
def test_every_party_and_no_other(ours: list[str], correct: bool) -> None:
    assert parties_ok(ANSWER, ours) is correct


def test_parties_are_a_scored_key_term_field() -> None:
    verdicts = judge(KeyTerms(parties=["Bristlecone Systems, Inc."]), {FIELDS["parties"]: ANSWER})
    summary = key_term_summary(verdicts)
    assert summary["parties"]["scored"] == 1 and summary["parties"]["correct"] == 0
    assert summary["governing_law"]["correct"] == 1  # no law in the answer, none reported
