"""Property-based tests: arbitrary text and bytes never crash the loaders, clause extraction,
key-term parsing or the input guard, and every offset they return stays inside the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.clauses.segment import extract_clauses
from core.documents import read
from core.errors import DocumentError
from core.guards import check_text
from core.settings import Settings
from core.terms import extract_terms

SETTINGS = Settings()
# Contract-ish text: words, numbering, punctuation, odd spaces and the characters attackers use.
TOKENS = st.sampled_from(
    [
        *"aeiouTSRNLCD 1234567890.;:()[]§\n\t\"'-/",
        *["shall ", "Agreement", "1.", "(a)", "ARTICLE ", "\n\n", "\r\n", "\xa0", "\u200b"],
        *["\u202e", "\U000e0041", "\ue000", "а", "ﬁ", "Ｉ", "&#73;", "Ignore ", "previous ", "?"],
    ]
)
TEXT = st.one_of(st.text(max_size=400), st.lists(TOKENS, max_size=300).map("".join))
MAGIC = st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
NAMES = st.sampled_from(["c.txt", "c.md", "c.pdf", "c.docx", "c", "c.doc", "c.PDF"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(magic=MAGIC, body=st.binary(max_size=600), name=NAMES)
def test_loaders_never_crash_on_arbitrary_bytes(magic: bytes, body: bytes, name: str) -> None:
    try:
        doc = read(magic + body, name, SETTINGS)
    except DocumentError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert len(doc.source_map) == len(doc.text) + 1
    assert all(0 <= i <= len(doc.raw_text) for i in doc.source_map)
    assert all(0 <= s.start < s.end <= len(doc.text) for s in doc.hidden_spans)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=600), name=st.sampled_from(["c.txt", "c.md"]))
def test_text_files_round_trip_through_the_loader(text: str, name: str) -> None:
    try:
        doc = read(text.encode("utf-8"), name, SETTINGS)
    except DocumentError:
        return
    assert all(0 <= o <= len(doc.text) for o in doc.heading_offsets)


@settings(max_examples=150, deadline=None)
@given(text=TEXT)
def test_clause_offsets_are_valid_and_ordered(text: str) -> None:
    segments = extract_clauses(text, [], [], 600)
    previous_end = 0
    for segment in segments:
        clause = segment.clause
        assert 0 <= clause.start <= clause.end <= len(text)
        assert clause.start >= previous_end
        previous_end = clause.end
        assert all(clause.start <= a <= b <= clause.end for a, b in segment.runs)


@settings(max_examples=150, deadline=None)
@given(text=TEXT)
def test_key_terms_never_crash_and_evidence_indexes_the_text(text: str) -> None:
    terms = extract_terms(text)
    for spans in terms.evidence.values():
        for span in spans:
            assert 0 <= span.start <= span.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(text=TEXT)
def test_guard_signals_index_the_text(text: str) -> None:
    for signal in check_text(text):
        assert 0 <= signal.start < signal.end <= len(text)
        assert 0.0 <= signal.score <= 1.0
