"""Clause extraction: structure recognised, furniture dropped, offsets exact."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.clauses.segment import extract_clauses
from core.clauses.sentences import split_sentences

CONTRACT = """MASTER SERVICES AGREEMENT
This Agreement is made as of March 3, 2025 between Acme Inc. ("Customer") and Beta LLC ("Vendor").
RECITALS
WHEREAS, Customer wishes to buy services; and
WHEREAS, Vendor wishes to sell them.
NOW, THEREFORE, the parties agree as follows:
ARTICLE I
DEFINITIONS
1.1 Affiliate. Means any entity that controls a party.
1.2 Services. Means the services described in a statement of work.
ARTICLE II
FEES AND PAYMENT
2.1 Fees. Customer shall pay all undisputed fees within thirty (30) days.
Page 1 of 3
Acme Confidential
(a) interest accrues monthly;
(b) disputes are raised in good faith.
3. Limitation of Liability. Neither party is liable for indirect damages.
Acme Confidential
4. TERM
The term is two years.
Acme Confidential
Acme Confidential
IN WITNESS WHEREOF the parties have signed.
By: ____
Name: John
"""


def by_number(text: str) -> dict[str | None, object]:
    return {s.clause.number: s.clause for s in extract_clauses(text)}


def test_numbered_sections_articles_items_and_headings_are_recognised() -> None:
    segments = extract_clauses(CONTRACT)
    numbers = [s.clause.number for s in segments]
    assert numbers[-6:] == ["2.1", "(a)", "(b)", "3", "4", None]
    clauses = {s.clause.number: s.clause for s in segments}
    assert clauses["1.1"].heading == "Affiliate"
    assert clauses["1.1"].section == "DEFINITIONS"
    assert clauses["2.1"].section == "FEES AND PAYMENT"
    assert clauses["3"].heading == "Limitation of Liability"
    assert clauses["4"].heading == "TERM"
    assert segments[-1].clause.heading == "Signatures"


def test_recitals_are_their_own_clauses() -> None:
    recitals = [s for s in extract_clauses(CONTRACT) if s.clause.heading == "Recitals"]
    texts = [CONTRACT[s.clause.start : s.clause.end] for s in recitals]
    assert len(texts) == 3  # the RECITALS heading opens the first; each recital stands alone
    assert [t.count("WHEREAS") for t in texts] == [1, 1, 0]
    assert texts[2].startswith("NOW, THEREFORE")


def test_page_furniture_is_never_clause_text() -> None:
    for segment in extract_clauses(CONTRACT):
        assert "Acme Confidential" not in segment.text
        assert "Page 1 of 3" not in segment.text


def test_offsets_index_the_document_exactly() -> None:
    segments = extract_clauses(CONTRACT)
    previous_end = 0
    for segment in segments:
        c = segment.clause
        assert previous_end <= c.start < c.end <= len(CONTRACT)
        assert CONTRACT[c.start : c.end].strip() == CONTRACT[c.start : c.end]
        for a, b in segment.runs:
            assert c.start <= a < b <= c.end
        previous_end = c.end


def test_inline_numbering_in_text_without_line_breaks() -> None:
    text = (
        "Licensor and Licensee agree as follows: ARTICLE 1 LICENSE GRANT 1.1. License. Licensor "
        "grants a licence. 1.2 Royalties. Licensee pays royalties. 2. TERM. The term is one year."
    )
    numbers = [s.clause.number for s in extract_clauses(text)]
    assert numbers == [None, "1.1", "1.2", "2"]


def test_long_unstructured_text_is_split_at_sentences_under_the_limit() -> None:
    text = " ".join(f"Sentence number {i} says something about the services." for i in range(200))
    segments = extract_clauses(text, max_clause_chars=1000)
    assert len(segments) > 5
    assert all(s.clause.end - s.clause.start <= 1000 for s in segments)


def test_a_lead_in_keeps_the_list_it_introduces() -> None:
    text = (
        "10.1 Term. This Agreement runs for two years.\n"
        "10.2 Termination. Either party may terminate this Agreement:\n"
        "(a) on ninety days' written notice;\n"
        "(b) at once if the other party becomes insolvent.\n"
        "10.3 Effect. Termination does not affect accrued rights.\n"
    )
    segments = extract_clauses(text)
    assert [s.clause.number for s in segments] == ["10.1", "10.2", "10.3"]
    termination = segments[1].clause
    assert text[termination.start : termination.end].endswith("becomes insolvent.")
    # Without the colon the items are clauses of their own.
    plain = text.replace("this Agreement:", "this Agreement as follows.")
    assert [s.clause.number for s in extract_clauses(plain)] == [
        "10.1",
        "10.2",
        "(a)",
        "(b)",
        "10.3",
    ]


def test_a_list_too_long_to_keep_whole_stays_one_clause_per_item() -> None:
    items = "".join(
        f"({chr(97 + i)}) {'the Supplier shall deliver the goods on time; ' * 6}\n"
        for i in range(8)
    )
    text = f"4.1 Duties. The Supplier shall:\n{items}4.2 Price. The price is fixed.\n"
    numbers = [s.clause.number for s in extract_clauses(text, max_clause_chars=600)]
    assert numbers == ["4.1"] + [f"({chr(97 + i)})" for i in range(8)] + ["4.2"]
    kept = extract_clauses(text, max_clause_chars=1200)  # twice the limit holds the list
    assert [s.clause.number for s in kept] == ["4.1", "4.2"]


def test_paragraphs_styled_as_headings_are_clauses_not_headings() -> None:
    # Word templates style whole paragraphs "Heading 2": each is a clause named by its run-in
    # heading, not a heading to pile onto the next one.
    lines = [
        "Term & Termination",
        "Term. This Agreement starts on the Effective Date and lasts two years.",
        "Survival.",
        "Sections 4 and 9 survive any expiration or termination of this Agreement.",
        "Assignment. Neither party may assign this Agreement without the other's consent.",
    ]
    text = "\n".join(lines)
    marked = [text.index(line) for line in lines]
    segments = extract_clauses(text, heading_offsets=marked)
    assert [s.clause.heading for s in segments] == ["Term", "Survival", "Assignment"]
    assert segments[0].clause.section == "Term & Termination"
    assert text[segments[1].clause.start : segments[1].clause.end] == "\n".join(lines[2:4])


def test_a_numbered_heading_line_opens_the_clause_of_the_items_below() -> None:
    text = (
        "5.2 Termination.\n"
        "(a) Either party may terminate this Agreement on thirty days' notice.\n"
        "(b) The Customer may terminate for convenience.\n"
        "5.3 GRANT OF RIGHTS. During the Term:\n"
        "(a) the Licensor grants a licence; and\n"
        "(b) the Licensee pays royalties.\n"
    )
    segments = extract_clauses(text)
    assert [(s.clause.number, s.clause.heading) for s in segments] == [
        ("5.2(a)", "Termination"),
        ("(b)", None),
        ("5.3", "GRANT OF RIGHTS"),  # a run-in heading with its lead-in keeps its list
    ]


def test_pdf_page_numbers_come_from_page_starts() -> None:
    text = "1. First. Alpha beta gamma.\n2. Second. Delta epsilon.\n3. Third. Zeta eta theta."
    page2 = text.index("3.")
    segments = extract_clauses(text, page_starts=[0, page2])
    assert [s.clause.page for s in segments] == [1, 1, 2]


def test_sentences_respect_abbreviations() -> None:
    text = "Acme Inc. shall pay U.S. dollars. See Sec. 4.2 hereof for the details."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Acme Inc. shall pay U.S. dollars.",
        "See Sec. 4.2 hereof for the details.",
    ]


def test_bare_numbers_and_short_headings_join_the_next_sentence() -> None:
    text = "6. Term. 6.1 Initial Term. The term is one year. It renews for one more year."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "6. Term. 6.1 Initial Term. The term is one year.",
        "It renews for one more year.",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcXYZ .;:()\n\t1234567890§WHEREAS")), max_size=600))
def test_any_text_gives_valid_ordered_clauses(text: str) -> None:
    last = 0
    for segment in extract_clauses(text, max_clause_chars=200):
        c = segment.clause
        assert last <= c.start < c.end <= len(text)
        last = c.end
