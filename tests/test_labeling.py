"""Clause typing as a reviewer sees it: which clauses get which type, and what a label covers."""

from __future__ import annotations

import re

import pytest

from core.clauses.segment import Segment, extract_clauses
from core.labels.labeler import Labeler, _combined, add_term_labels
from core.taxonomy import load_taxonomy
from core.terms.extract import extract_terms
from tests.fakes import FakeEmbedder


def _label(text: str) -> list[Segment]:
    embedder = FakeEmbedder()
    segments = extract_clauses(text)
    Labeler(load_taxonomy(), embedder).label(
        segments, embedder.encode([s.text for s in segments]), text
    )
    return segments


def _types(segment: Segment) -> set[str]:
    return {label.type for label in segment.clause.labels}


def test_a_bare_no_third_party_beneficiaries_clause_is_not_a_third_party_beneficiary() -> None:
    text = (
        "12.4 Indemnitees. Each Supplier Indemnitee is an intended third-party beneficiary of "
        "Section 9 and may enforce it directly against the Customer.\n\n"
        "12.5 No Third-Party Beneficiaries. This Agreement is for the sole benefit of the "
        "parties and nothing in it confers any rights or remedies on any other person.\n"
    )
    # The exclusion is anchored at the clause's start: it must hold for a clause that is not
    # the first of the document.
    carved_out, bare = _label(text)
    assert "Third Party Beneficiary" not in _types(bare)
    assert "Third Party Beneficiary" in _types(carved_out)


def test_a_label_covers_its_whole_clause_and_scores_within_bounds() -> None:
    text = (
        "7. Insurance. The Supplier shall maintain product liability insurance of not less than "
        "USD 2,000,000 per occurrence. It shall name the Customer as an additional insured and "
        "deliver certificates of insurance on request.\n"
    )
    (segment,) = _label(text)
    insurance = next(lb for lb in segment.clause.labels if lb.type == "Insurance")
    assert (insurance.start, insurance.end) == (segment.clause.start, segment.clause.end)
    assert 0.6 <= insurance.score <= 1.0


def test_a_clause_without_any_cue_gets_no_contract_type() -> None:
    # Plenty of words shared with the taxonomy's examples, but no phrase that makes a clause
    # one of them: similarity alone does not label it.
    text = (
        "3. General. The parties will meet each quarter to discuss the products, the services, "
        "the territory and the customers, and will keep minutes of each meeting.\n"
    )
    (segment,) = _label(text)
    assert segment.clause.labels == []


def test_a_contract_keeps_one_agreement_date_restatements_of_other_dates_are_dropped() -> None:
    text = (
        "SUPPLY AGREEMENT\n\n"
        "This Supply Agreement is made as of March 3, 2021 by and between Juniper Vale Bottling "
        "Co. and Greystone Markets, Inc.\n\n"
        "1. Prior Order. The purchase order dated as of June 9, 2019 is superseded.\n\n"
        "IN WITNESS WHEREOF, the parties have signed this Agreement as of March 3, 2021.\n"
    )
    segments = _label(text)
    add_term_labels(segments, extract_terms(text))
    dated = [s.clause.id for s in segments if "Agreement Date" in _types(s)]
    # the preamble holds the evidence, the signature block restates the same date; the earlier
    # purchase order's date is another document's, not this agreement's
    assert len(dated) == 2
    assert not any("June 9, 2019" in s.text for s in segments if s.clause.id in dated)
    assert any("made as of March 3, 2021" in s.text for s in segments if s.clause.id in dated)


def test_only_the_opening_that_identifies_the_parties_is_labelled_parties() -> None:
    text = (
        "This Services Agreement is made as of May 2, 2022 between Saltmarsh Logistics Limited "
        '("Supplier") and Greystone Markets, Inc. ("Customer").\n\n'
        "9. Subcontractors. The Supplier may engage Harbour Freight GmbH, a company "
        "incorporated under the laws of Germany, to carry goods within the European Union.\n"
    )
    segments = _label(text)
    add_term_labels(segments, extract_terms(text))
    opening, subcontractors = segments
    assert "Parties" in _types(opening)
    # a third company described later is not a party (before the rule, the "incorporated under
    # the laws of" cue labelled it)
    assert "Parties" not in _types(subcontractors)


def test_capitals_do_not_change_a_clauses_types() -> None:
    # Contracts shout their limitation and warranty clauses in capitals; the labeller matches
    # its cues on lower-cased text, so the shouted and the quiet clause must get the same types.
    quiet = (
        "9. Limitation of Liability. In no event shall either party's aggregate liability "
        "exceed the fees paid in the twelve months before the claim, except for liability "
        "arising from a breach of confidentiality or from a party's indemnification "
        "obligations.\n"
    )
    (lower,) = _label(quiet)
    (upper,) = _label(quiet.upper())
    assert {"Cap On Liability", "Uncapped Liability"} <= _types(lower)
    assert _types(upper) == _types(lower)


# Each rule separates a clause that is not of the type (first) from one that is (second); both
# clauses are written for the test.
NOT_THE_TYPE_THEN_THE_TYPE = {
    "conduct that might disparage is not a non-disparagement promise": (
        "Non-Disparagement",
        "8.2 Brand Use. The Reseller shall use the Marks only in a manner that does not "
        "disparage or reflect adversely on the Owner or its products.\n\n"
        "8.3 Statements. Neither party shall make any public statement that disparages the "
        "other party or its services.\n",
    ),
    "a reservation of rights grants no affiliate licence": (
        "Affiliate License-Licensor",
        "14.1 Rights Reserved. All rights not expressly granted to the Distributor are reserved "
        "to the Maker, and no patent controlled by the Maker or its Affiliates is licensed "
        "except as stated in Section 2.\n\n"
        "2.1 Grant. The Maker, on behalf of itself and its Affiliates, grants the Distributor a "
        "licence under the patents they own to sell the Goods.\n",
    ),
    "a no-solicit promise and the customers it protects must share a sentence": (
        "No-Solicit Of Customers",
        "5.1 Ad Serving. The Publisher shall not interfere with the serving of the banners. "
        "Reports on the campaign will be sent to the Sponsor each month.\n\n"
        "5.2 Customers. The Agent shall not solicit or divert any customer of the Principal "
        "during the Term.\n",
    ),
    "licensees among whom a campaign promotes are not a licence": (
        "Affiliate License-Licensee",
        "4.6 Inserts. The Fulfilment House will include two inserts a month promoting the "
        "Client's products and those of the Client's affiliates, licensees or sponsors.\n\n"
        "4.7 Group Use. The Client's affiliates may use the Software under the Client's "
        "licence.\n",
    ),
    "a period that is not the contract's term does not make an expiration date": (
        "Expiration Date",
        "6.4 Returns. The Agent shall accept returns of goods for a period of ten days from the "
        "Sale Date, and this Section shall survive for a period of two years.\n\n"
        "3.1 Term. This Agreement shall commence on the Effective Date and continue for a period "
        "of three (3) years.\n",
    ),
    "exclusivity granted elsewhere is a reference; the exclusivity clause is the type": (
        "Exclusivity",
        "7.2 Screens. New screens will be subject to the exclusivity obligations of the Network "
        "set out in Section 3.\n\n"
        "3.1 Exclusivity. During the Term the Network shall not place advertising in any other "
        "cinema chain in the Territory.\n",
    ),
    "a cross-reference to a limitation of liability is not one": (
        "Cap On Liability",
        "9.2 Late Delivery. Subject to Section 12 (Limitation of Liability), the Supplier shall "
        "credit the Customer for each late shipment.\n\n"
        "12. Limitation of Liability. Each party's total liability shall be limited to the fees "
        "paid in the preceding twelve months.\n",
    ),
    "a cross-reference to the governing-law section does not choose a law": (
        "Governing Law",
        "12.4 Urgent Relief. Despite Section 12.3 (Governing Law and Venue), either party may ask "
        "any competent court for an injunction to protect its trade secrets.\n\n"
        "12.3 Governing Law and Venue. The laws of the State of Oregon govern this Agreement.\n",
    ),
    "selling products is not a sell-off of remaining stock": (
        "Post-Termination Services",
        "3.1 Appointment. The Distributor shall use best efforts to market and sell the Products "
        "in the Territory.\n\n"
        "14.3 Sell-Off. The Distributor may sell its remaining inventory of Products within ninety "
        "days.\n",
    ),
    "a price ceiling is a price term, a cap on increases restricts price": (
        "Price Restrictions",
        "5.1 Prices. The price for each Unit shall not exceed the amount stated in the order.\n\n"
        "5.2 Increases. Any increase in the prices for the Units shall not exceed three percent "
        "(3%) in a Contract Year.\n",
    ),
    "waived royalties are not revenue sharing, a set royalty is": (
        "Revenue/Profit Sharing",
        "6.1 Samples. The Distributor shall not be required to pay any royalties on "
        "demonstration units, and no royalty shall be payable on returned units.\n\n"
        "6.2 Royalty. The Distributor shall pay the Owner a royalty of eight percent (8%) of "
        "Net Sales of each Product.\n",
    ),
}


@pytest.mark.parametrize("rule", NOT_THE_TYPE_THEN_THE_TYPE)
def test_a_rule_tells_the_clause_of_a_type_from_its_look_alike(rule: str) -> None:
    clause_type, text = NOT_THE_TYPE_THEN_THE_TYPE[rule]
    look_alike, real = _label(text)
    assert clause_type not in _types(look_alike)
    assert clause_type in _types(real)


def test_a_definition_is_not_the_provision_that_uses_the_word() -> None:
    text = (
        '1.7 "Minimum Purchase Commitment" means the minimum quantity of Goods the Distributor '
        "must purchase in each Contract Year, as stated in Schedule 2.\n\n"
        "4.1 Minimum Purchases. The Distributor shall purchase at least the minimum quantity of "
        "Goods stated in Schedule 2 in each Contract Year.\n"
    )
    definition, provision = _label(text)
    assert definition.clause.labels == []
    assert "Minimum Commitment" in _types(provision)


def test_the_lower_cased_scan_matches_what_a_case_insensitive_scan_would() -> None:
    # The labeller drops IGNORECASE for patterns without upper-case literals and scans
    # lower-cased text instead (faster): on every taxonomy text, in any capitalisation, each
    # type's cues and exclusions must match exactly where the case-insensitive scan does.
    types = load_taxonomy()
    texts = [text for t in types for text in t.prototype_texts()]
    texts += [text.upper() for text in texts] + [text.title() for text in texts]
    compared = 0
    for clause_type in types:
        for patterns in (clause_type.patterns, clause_type.exclude_patterns):
            fast = _combined(patterns)
            if fast is None:
                continue
            reference = re.compile(fast.pattern, re.IGNORECASE)
            for text in texts:
                assert bool(fast.search(text.lower())) == bool(reference.search(text)), (
                    clause_type.name,
                    text,
                )
                compared += 1
    assert compared > 10_000


def test_common_drafting_formulas_get_their_types() -> None:
    # One clause per formula, each written for this test; the type each must carry.
    cases = [
        (
            "Anti-Assignment",
            "15.2 Assignment. This Agreement is non-assignable by the Reseller.",
        ),
        (
            "Insurance",
            "9.1 Insurance. In support of its indemnification duties and insurance obligations, "
            "the Contractor shall maintain general liability insurance of USD 1,000,000.",
        ),
        (
            "Ip Ownership Assignment",
            "11.2 Results. The Developer shall, and hereby does, assign to the Sponsor all of its "
            "right, title and interest in the Study Results.",
        ),
        (
            "Anti-Assignment",
            "7.5 Receivables. The Licensee shall not sell, transfer or assign any of its rights "
            "to receive payments under this Agreement.",
        ),
        (
            "Cap On Liability",
            "10.3 Remedy. The Customer's sole and exclusive remedy is the repair or replacement "
            "of the defective Unit.",
        ),
        (
            "License Grant",
            "8.6 Improvements. Improvements made by the Maker shall be owned by the Maker and be "
            "licensed to the Reseller under this Agreement.",
        ),
        (
            "Insurance",
            "12.3.1 Commercial General Liability: USD 2,000,000 per occurrence and USD 4,000,000 "
            "in the aggregate.",
        ),
        (
            "Exclusivity",
            "2.1 Grant. The Owner grants the Distributor an exclusive, worldwide, royalty-bearing, "
            "non-transferable license to sell the Goods.",
        ),
        (
            "Audit Rights",
            "9.4 Records. The Reseller shall keep records of its sales, and the Maker may review "
            "these records during normal business hours.",
        ),
        (
            "Cap On Liability",
            "8.3 Agent. The Agent shall not be liable for any loss or claim which in the aggregate "
            "exceeds the commission paid to it.",
        ),
        (
            "Cap On Liability",
            "8.4 Indemnity Limit. In no event shall the Seller's indemnification obligations "
            "exceed the purchase price.",
        ),
        (
            "Cap On Liability",
            "8.5 Platform. The Operator shall not be liable to the Driver for any defect in the "
            "application or any interruption of service.",
        ),
        (
            "Revenue/Profit Sharing",
            "4.2 Hosting. The Host shall pay the Partner 10% of the hosting fees paid "
            "by customers the Partner refers.",
        ),
        (
            "Revenue/Profit Sharing",
            "4.3 Advertising. The Publisher shall receive an advertising fee of 20% of the net "
            "advertising revenue from the Site.",
        ),
        (
            "Revenue/Profit Sharing",
            "4.4 Referrals. The Agent shall remit to the Owner 15% of each sale it closes.",
        ),
        (
            "Termination For Convenience",
            "12.2 Ending. This Agreement ends ninety days after the Buyer gives the Seller written "
            "notice of its intention to terminate.",
        ),
        (
            "Termination For Convenience",
            "12.3 Withdrawal. Either party may terminate its obligations under this Agreement "
            "within thirty (30) days of receipt of a written termination notice.",
        ),
        (
            "Termination For Convenience",
            "12.4 Terminable. This Agreement is terminable by either party on sixty days' "
            "written notice.",
        ),
        (
            "Insurance",
            "10.2 Goods. At the Owner's request, the Agent shall insure the goods in its custody.",
        ),
        (
            "Insurance",
            "10.3 Staff. The Franchisee shall take part in any workers' insurance program that "
            "local law requires.",
        ),
        (
            "Audit Rights",
            "9.5 Visits. The Client shall have the right to enter and inspect any site where the "
            "Goods are made.",
        ),
        (
            "Audit Rights",
            "9.6 Accounts. The Franchisee shall deliver its financial statements within ninety "
            "(90) days after each fiscal year.",
        ),
        (
            "Audit Rights",
            "9.7 Checks. The Franchisee shall take part in any self-audit scheme of the System.",
        ),
        (
            "Post-Termination Services",
            "15.2 Buy-Out. In the event that the Investor terminates this Agreement under Section "
            "15.1, then the Company shall repay the Investor's contributions.",
        ),
        (
            "Post-Termination Services",
            "15.3 Fees. The Customer shall remain obligated to pay all fees accrued before the "
            "termination.",
        ),
        (
            "Post-Termination Services",
            "15.4 Orders. As of the Termination Date, the Vendor shall accept no new orders.",
        ),
        (
            "Post-Termination Services",
            "15.5 Supply. The Maker shall continue to supply the Product for two years after the "
            "end of the Term.",
        ),
        (
            "Post-Termination Services",
            "15.6 Exit. The Contractor shall wind down the Study in an orderly way.",
        ),
        (
            "Post-Termination Services",
            "15.7 Stock. The Distributor shall have a right after termination to sell existing "
            "units.",
        ),
        (
            "Minimum Commitment",
            "4.1 Budget. The Retailer will commit to an annual marketing budget of USD 50,000.",
        ),
        (
            "Minimum Commitment",
            "4.2 Covenant. The Investor shall maintain a minimum net worth of USD 5,000,000.",
        ),
        (
            "Exclusivity",
            "6.3 Bookings. The only booking system the Hotel may use is the Network's.",
        ),
        (
            "Exclusivity",
            "6.4 Translations. The licence for translated works shall be exclusive for display "
            "on the web.",
        ),
        (
            "Volume Restriction",
            "7.1 Inserts. The Seller will include up to two (2) inserts per month in its parcels.",
        ),
        (
            "Volume Restriction",
            "7.2 Appearances. No appearance shall exceed a total of three hours.",
        ),
        (
            "Rofr/Rofo/Rofn",
            "8.1 Second Source. The Buyer shall have the first right to purchase any surplus "
            "capacity.",
        ),
        (
            "Anti-Assignment",
            "13.4 Subcontracting. Each party may only subcontract its work with the other "
            "party's consent.",
        ),
        (
            "Warranty Duration",
            "11.1 Defects. The Reseller may, no later than sixty (60) days after a sale, return "
            "any defective unit.",
        ),
        (
            "Expiration Date",
            "2.1 Term. The licence granted under this Agreement shall continue perpetually unless "
            "terminated.",
        ),
        (
            "Expiration Date",
            "2.2 Duration. This Agreement will be in effect for two (2) years from the Effective "
            "Date.",
        ),
        (
            "Expiration Date",
            "2.3 Support. The support service is for a period of one (1) year from delivery.",
        ),
    ]
    for clause_type, text in cases:
        (segment,) = _label(text + "\n")
        assert clause_type in _types(segment), clause_type
