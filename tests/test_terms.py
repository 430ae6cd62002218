"""Key-term extraction (`core.terms.extract_terms`): values a reviewer would read, and their spans.

All example contract text here is written for these tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import KeyTerms
from core.terms import extract_terms
from core.terms.blanks import template_warning

CUAD_DEV = Path(__file__).parents[1].parent / "shared" / "eval" / "cuad-dev.jsonl"
PARTIES = "by and between Northwind Analytics Inc. and Harbor Lane Logistics LLC."


def assert_spans(text: str, terms: KeyTerms) -> None:
    for field, spans in terms.evidence.items():
        assert spans, field
        for ev in spans:
            assert 0 <= ev.start < ev.end <= len(text), (field, ev)
            assert text[ev.start : ev.end] == ev.text, (field, ev)


def extract(text: str) -> KeyTerms:
    terms = extract_terms(text)
    assert_spans(text, terms)
    return terms


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("March 3, 2025", "2025-03-03"),
        ("March 3rd, 2025", "2025-03-03"),
        ("MARCH 3, 2025", "2025-03-03"),
        ("3 March 2025", "2025-03-03"),
        ("the 3rd day of March, 2025", "2025-03-03"),
        ("this 21st day of June 2024", "2024-06-21"),
        ("the third day of March, 2025", "2025-03-03"),
        ("this twenty-first day of June, 2024", "2024-06-21"),
        ("2025-03-03", "2025-03-03"),
        ("03/03/2025", "2025-03-03"),
        ("11/4/2025", "2025-11-04"),
        ("Sept. 4, 2001", "2001-09-04"),
    ],
)
def test_agreement_date_formats_become_iso(written: str, iso: str) -> None:
    text = f"SUPPLY AGREEMENT\n\nThis Supply Agreement is made as of {written} {PARTIES}"
    terms = extract(text)
    assert terms.agreement_date == iso
    assert "agreement_date" in terms.evidence


@pytest.mark.parametrize(
    "blank",
    [
        "____________, 1996",
        "[ ] day of [ ], 2020",
        "the ____ day of ________, 2019",
        "April ___, 2003",
    ],
)
def test_blank_dates_stay_none(blank: str) -> None:
    text = f"This Agreement is dated {blank} {PARTIES} Later, on June 1, 2021, nothing happened."
    assert extract(text).agreement_date is None


def test_month_without_day_is_not_guessed() -> None:
    text = f"This Agreement is entered into as of March 2025 {PARTIES}"
    assert extract(text).agreement_date is None


def test_impossible_date_is_ignored() -> None:
    assert extract("This Agreement is dated February 30, 2024.").agreement_date is None


def test_effective_date_from_definition() -> None:
    text = (
        'This Agreement is entered into as of January 10, 2024 (the "Execution Date") '
        f'{PARTIES}\n\n1. Term. The term begins on February 1, 2024 (the "Effective Date").'
    )
    terms = extract(text)
    assert terms.agreement_date == "2024-01-10"
    assert terms.effective_date == "2024-02-01"


def test_effective_date_defined_as_the_agreement_date() -> None:
    text = (
        f"This Agreement is dated May 5, 2023 {PARTIES}\n\n"
        "1. This Agreement shall be effective as of the date first written above."
    )
    terms = extract(text)
    assert terms.effective_date == "2023-05-05"
    assert "effective as of the date first written" in terms.evidence["effective_date"][0].text


def test_signature_date_when_preamble_is_undated() -> None:
    text = (
        f"CONSULTING AGREEMENT\n\nThis Agreement is {PARTIES}\n\n1. Services. Consultant shall "
        "advise Client.\n\nIN WITNESS WHEREOF the parties have signed this Agreement.\n\n"
        "Northwind Analytics Inc. Date: April 2, 2022\n\n"
        "Harbor Lane Logistics LLC Date: April 9, 2022"
    )
    assert extract(text).agreement_date == "2022-04-09"


def test_reference_to_another_agreement_is_not_the_agreement_date() -> None:
    text = (
        "This Amendment is made pursuant to that certain Master Agreement dated June 1, 2019 "
        f"{PARTIES}"
    )
    assert extract(text).agreement_date is None


# --- term, renewal, notice -------------------------------------------------------------------

TERM_CLAUSE = (
    f'This Hosting Agreement is entered into as of January 15, 2024 (the "Effective Date") '
    f"{PARTIES}\n\n"
    "2. Term. The initial term of this Agreement shall be three (3) years from the Effective "
    "Date. Thereafter this Agreement shall automatically renew for successive one (1) year "
    "periods unless either party gives written notice of non-renewal at least ninety (90) days "
    "prior to the end of the then-current term.\n\n"
    "3. Termination for convenience. Either party may terminate on thirty (30) days' notice."
)


def test_term_renewal_and_notice() -> None:
    terms = extract(TERM_CLAUSE)
    assert terms.initial_term_months == 36
    assert terms.expiration_date == "2027-01-15"
    assert terms.renewal_term == "successive 1 year"
    assert terms.renewal_term_months == 12
    assert terms.notice_period_days == 90
    assert terms.evidence["notice_period_days"][0].text == "ninety (90) days"


@pytest.mark.parametrize(
    ("notice", "days"),
    [("three (3) months", 90), ("sixty days", 60), ("two weeks", 14), ("45 days", 45)],
)
def test_notice_period_units_convert_to_days(notice: str, days: int) -> None:
    text = (
        "This Agreement renews automatically for additional one-year terms unless a party "
        f"notifies the other of non-renewal at least {notice} before the expiration of the "
        "then-current term."
    )
    assert extract(text).notice_period_days == days


def test_other_notice_periods_are_not_the_renewal_notice() -> None:
    text = (
        "Either party may terminate this Agreement for convenience upon thirty (30) days' "
        "written notice. Licensee shall notify Licensor of any breach within ten (10) days."
    )
    assert extract(text).notice_period_days is None


def test_explicit_expiration_date() -> None:
    text = (
        f"This Agreement is made as of March 1, 2022 {PARTIES}\n\n4. Term. The term of this "
        "Agreement commences on the date hereof and shall expire on December 31, 2027."
    )
    terms = extract(text)
    assert terms.expiration_date == "2027-12-31"
    assert terms.effective_date == "2022-03-01"


def test_term_from_an_event_gives_no_expiration_date() -> None:
    text = (
        f"This Agreement is made as of March 1, 2022 {PARTIES}\n\n4. Term. This Agreement "
        "shall remain in effect for five (5) years from the first commercial sale of a Product."
    )
    terms = extract(text)
    assert terms.initial_term_months == 60
    assert terms.expiration_date is None


def test_renewal_for_additional_months() -> None:
    text = "This Agreement will automatically be renewed for an additional twelve (12) months."
    terms = extract(text)
    assert (terms.renewal_term, terms.renewal_term_months) == ("12 months", 12)


# --- governing law ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "law"),
    [
        ("shall be governed by the laws of the State of New York, without regard to", "New York"),
        (
            "is governed by and construed under the laws of the Commonwealth of Pennsylvania.",
            "Pennsylvania",
        ),
        ("shall be governed by the laws of England and Wales.", "England and Wales"),
        ("shall be governed by the laws of the Province of Ontario and Canada.", "Ontario"),
        ("is governed by German law.", "Germany"),
        ("SHALL BE GOVERNED BY THE INTERNAL LAWS OF THE STATE OF DELAWARE.", "Delaware"),
        (
            "shall be construed in accordance with the laws of the District of Columbia.",
            "District of Columbia",
        ),
    ],
)
def test_governing_law_is_normalised(clause: str, law: str) -> None:
    text = f"12. Governing Law. This Agreement {clause}"
    terms = extract(text)
    assert terms.governing_law == law
    assert "governing_law" in terms.evidence


def test_place_of_incorporation_is_not_governing_law() -> None:
    text = (
        "Northwind Analytics Inc., a corporation organized under the laws of the State of "
        "Delaware, agrees as follows. 9. This Agreement shall be governed by the laws of Texas."
    )
    assert extract(text).governing_law == "Texas"
    assert extract(text[: text.index("9.")]).governing_law is None


# --- liability cap and payment ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "months"),
    [
        ("the fees paid by Customer in the three (3) months preceding the claim", 3.0),
        ("the fees paid or payable in the twelve months before the event", 12.0),
        ("the amounts paid under this Agreement during the one year prior to the claim", 12.0),
    ],
)
def test_liability_cap_in_months_of_fees(clause: str, months: float) -> None:
    text = f"In no event shall either party's aggregate liability exceed {clause}."
    terms = extract(text)
    assert terms.liability_cap_months == months
    assert terms.liability_cap == f"fees paid in the {months:g} months before the claim"


def test_liability_cap_fixed_amount_and_greater_of() -> None:
    fixed = extract("Supplier's total liability shall not exceed $1,000,000 in the aggregate.")
    assert (fixed.liability_cap, fixed.liability_cap_amount) == ("$1,000,000", 1_000_000.0)
    both = extract(
        "Each party's liability under this Agreement shall not exceed the greater of (a) "
        "$250,000 and (b) the fees paid in the twelve (12) months preceding the claim."
    )
    assert both.liability_cap_amount == 250_000.0
    assert both.liability_cap_months == 12.0
    assert both.liability_cap is not None and both.liability_cap.startswith("the greater of")


def test_insurance_limits_are_not_a_liability_cap() -> None:
    text = "Vendor shall maintain general liability insurance coverage not to exceed $2,000,000."
    assert extract(text).liability_cap is None


@pytest.mark.parametrize(
    ("clause", "days"),
    [
        ("Customer shall pay each invoice within thirty (30) days of receipt of invoice.", 30),
        ("Payment terms: net 45 days from the invoice date.", 45),
        ("Invoices are payable within 60 days after the invoice date.", 60),
    ],
)
def test_payment_terms_days(clause: str, days: int) -> None:
    assert extract(clause).payment_terms_days == days


def test_deadline_that_is_not_about_invoices_is_not_payment_terms() -> None:
    text = "Licensee shall return all Confidential Information within ten (10) days of a request."
    assert extract(text).payment_terms_days is None


# --- parties and title -----------------------------------------------------------------------


def test_parties_and_title_from_preamble() -> None:
    text = (
        "Exhibit 10.4\n\nMASTER SERVICES AGREEMENT\n\nThis Master Services Agreement (the "
        '"Agreement") is entered into as of June 2, 2025 by and between CloudLedger Inc., a '
        'Delaware corporation ("Provider"), and Rivermouth Foods, LLC, a Texas limited '
        'liability company (together with its Affiliates, "Customer"). Provider and Customer '
        'are each a "Party".\n\nWHEREAS, Provider offers hosted ledgers to CloudLedger Inc.'
    )
    terms = extract(text)
    assert terms.parties == ["CloudLedger Inc.", "Rivermouth Foods, LLC"]
    assert terms.document_name == "MASTER SERVICES AGREEMENT"
    assert [e.text for e in terms.evidence["parties"]] == terms.parties


def test_parties_between_and_numbered() -> None:
    text = (
        "DISTRIBUTION AGREEMENT\n\nTHIS AGREEMENT is made on 4 July 2023\n\nBETWEEN:\n\n"
        "(1) NORTHERN LIGHTS TRADING LIMITED, a company incorporated in Scotland whose office "
        "is at 1 Harbour Road, Leith; and\n\n(2) KESTREL WERKE GMBH, a company organised under "
        "German law.\n\nIT IS AGREED as follows:"
    )
    terms = extract(text)
    assert terms.parties == ["NORTHERN LIGHTS TRADING LIMITED", "KESTREL WERKE GMBH"]
    assert terms.agreement_date == "2023-07-04"


def test_parties_without_between() -> None:
    text = (
        "LIMITED POWER OF ATTORNEY\n\nKNOW ALL PERSONS BY THESE PRESENTS, that Oakridge Capital "
        'Management Company, a Delaware statutory trust (the "Adviser"), hereby appoints '
        'Oakridge Fund Services Company, an Ohio corporation ("Agent"), as its attorney.\n\n'
        "WHEREAS the Adviser manages funds."
    )
    assert extract(text).parties == [
        "Oakridge Capital Management Company",
        "Oakridge Fund Services Company",
    ]


def test_a_template_cover_page_names_no_parties() -> None:
    # "between" in an ordinary sentence is not a preamble, and the headings of a key-terms
    # table below it ("Key Terms", "Approved Vendors") are not company names.
    text = (
        "Hosting Addendum\n\nThis Addendum has two parts: the Key Terms below and the Standard "
        "Terms posted online. Where the two disagree, the conflict between the parts is settled "
        "in favour of the Key Terms. Words in bold take the meanings given in the Standard "
        "Terms.\n\nKey Terms\nThe main commercial terms of this Addendum are these:\nServices\n"
        "This Addendum supplements the {master_agreement}.\nApproved Vendors\n{vendor_list}\n"
    )
    assert extract(text).parties == []


# --- robustness ------------------------------------------------------------------------------

FRAGMENTS = [
    "This Agreement", " is made as of ", "March 3, 2025", "____, 1996", " by and between ",
    "Acme Inc.", " (\"Acme\")", " and ", "Zeta LLC", "; ", ". ", "\n\n", "(", ")", "\"",
    "ninety (90) days", " prior to ", "renew", " for successive ", "one (1) year", " periods",
    "governed by the laws of the State of ", "New York", "liability shall not exceed ", "$",
    "1,000,000", " fees paid in the ", "twelve (12) months", " within thirty (30) days of ",
    "invoice", "net 30", "(the \"Effective Date\")", "expire on ", "31/12/2025", "[ ]",
    "IN WITNESS WHEREOF", "Date: ", "/s/", "PARTIES", "(1) ", "Party A: ", "AGREEMENT",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=400),
        st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join),
        st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map(
            "".join
        ),
    )
)
def test_arbitrary_text_never_raises_and_spans_are_exact(text: str) -> None:
    assert_spans(text, extract_terms(text))


def test_large_contract_is_fast() -> None:
    body = (
        TERM_CLAUSE
        + "\n\n"
        + (
            "7. Confidentiality. Each party shall protect the other's Confidential Information for "
            "two (2) years after disclosure and shall pay any invoice within 30 days of receipt. "
        )
        * 1500
    )
    assert len(body) > 250_000
    terms = extract(body)
    assert terms.notice_period_days == 90


# --- measured on real contracts (optional data set) ------------------------------------------

GOVERNING_LAW_FLOOR = 0.8  # measured 10/10 on these 10 contracts (60/60 on all 60)
_SPACES = re.compile(r"[ \t\f\v\xa0]+")


def normalise(raw: str) -> str:
    """Collapse spaces/tabs, strip lines, keep at most one blank line in a row."""
    lines = [_SPACES.sub(" ", line).strip() for line in raw.replace("\r", "").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip()


def _law_matches(gold: str, predicted: str | None) -> bool:
    def norm(value: str) -> str:
        return re.sub(r"[^a-z0-9]+", " ", value.lower()).replace(
            "england wales", "england and wales"
        )

    gold_n, pred_n = norm(gold).strip(), norm(predicted or "").strip()
    if not gold_n:
        return not pred_n
    return bool(pred_n) and (gold_n in pred_n or pred_n in gold_n)


def test_governing_law_accuracy_on_cuad_dev() -> None:
    if not CUAD_DEV.exists():
        pytest.skip("../shared/eval not present: CUAD dev contracts are not part of the repo")
    with CUAD_DEV.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(10), handle, strict=False)]
    correct = 0
    for row in rows:
        text = normalise(row["text"])
        terms = extract(text)
        correct += _law_matches(row["csv_answers"].get("Governing Law", ""), terms.governing_law)
    assert correct / len(rows) >= GOVERNING_LAW_FLOOR


# --- payment term: only the days to pay --------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "days"),
    [
        ("Customer shall pay each invoice within 45 days of receipt.", 45),
        ("Payment is due net 30.", 30),
        ("All fees are payable thirty (30) days after the invoice date.", 30),
        (
            "Except for amounts disputed in good faith, Customer shall pay each invoice within "
            "thirty (30) days of receipt.",
            30,
        ),
        ("Licensee shall pay all undisputed amounts within 60 days after the date of invoice.", 60),
        (
            "Quillon Labs will invoice monthly. Customer shall pay all fees, without set-off, "
            "within twenty (20) days of the invoice date.",
            20,
        ),
        ("Payment of each invoice shall be made within 35 days of receipt.", 35),
    ],
)
def test_payment_term_is_the_days_to_pay(clause: str, days: int) -> None:
    terms = extract(clause)
    assert terms.payment_terms_days == days
    assert terms.redacted == [] and terms.unfilled == []


@pytest.mark.parametrize(
    "clause",
    [
        # a window to dispute, object, cure, refund or correct, not to pay
        "Customer shall pay each invoice when due. If Customer disputes an invoice, it shall send "
        "Quillon Labs notice of any amount it disputes within ten (10) days of receipt of the "
        "invoice.",
        "Customer may object to any invoice within fourteen (14) days of receipt by notifying "
        "Quillon Labs in writing.",
        "If Customer fails to pay an invoice when due, Quillon Labs may suspend the Services "
        "unless the failure is cured within fifteen (15) days after written notice.",
        "Quillon Labs shall refund any prepaid fees invoiced for the remainder of the term within "
        "30 days after termination of this Agreement.",
        "Any invoice not paid within 10 days of its due date bears interest at 1% per month.",
        # a window counted from an automatic payment follows the payment, it does not set it
        "Fees are invoiced and charged to the card on file, and Customer may ask for a "
        "correction within 30 days of an automatic payment.",
    ],
)
def test_other_windows_near_invoices_are_not_the_payment_term(clause: str) -> None:
    assert extract(clause).payment_terms_days is None


# --- parties: every party, not a heading -----------------------------------------------------


def test_counterparty_after_an_address_block_is_a_party() -> None:
    text = (
        "DISTRIBUTOR AGREEMENT\n\nTHIS AGREEMENT is made as of May 2, 2024 by and between:\n\n"
        'Tessaly Coatings Ltd hereinafter referred to as ("Tessaly")\n\nAddress\n:\n'
        "Unit 4, 12 Mill Lane\nLeeds\n\nTel.\n:\n0113 496 0000\n\nand\n\nOrmond Auto Care "
        'hereinafter referred to as ("DISTRIBUTOR")\n\nAddress\n:\n88 Quay Street, Galway\n\n'
        "WHEREAS Tessaly makes paint."
    )
    assert extract(text).parties == ["Tessaly Coatings Ltd", "Ormond Auto Care"]


def test_parties_named_with_written_out_defined_terms() -> None:
    text = (
        "CONTENT LICENCE AGREEMENT\n\nbetween\n\nBrightwater Media GmbH & Co KG, Hafenweg 3, "
        "Bremen\n\n— hereinafter referred to as Brightwater —\n\nand\n\nLumenfield Studios Inc, "
        "40 Canal Road, Suite 210, Portland\n\n— hereinafter referred to as Lumenfield —\n\n"
        "1. Purpose. Brightwater licenses content to Lumenfield."
    )
    assert extract(text).parties == ["Brightwater Media GmbH & Co KG", "Lumenfield Studios Inc"]


def test_a_run_in_heading_is_not_a_party() -> None:
    text = (
        "DEVELOPMENT AGREEMENT\n\nThis Development Agreement is made March 3, 2024 by and "
        "between PIXELWORK LLC, a Delaware limited liability company (Developer), and the client "
        "named in the order form (Client) for software development services (each a Party).\n\n"
        "1. Term Unless otherwise agreed, this Agreement continues until the work is delivered."
    )
    assert extract(text).parties == ["PIXELWORK LLC"]


def test_parties_entered_into_by_a_company_and_an_individual() -> None:
    text = (
        "CONSULTING AGREEMENT\n\nThis Consulting Agreement is entered into by Veltrano "
        'Biosciences, Inc., a Delaware corporation (the "Company"), and Marta Kowalczyk, an '
        'individual (the "Consultant").\n\nWHEREAS the Company needs advice.'
    )
    assert extract(text).parties == ["Veltrano Biosciences, Inc.", "Marta Kowalczyk"]


def test_an_address_or_a_place_is_not_a_party() -> None:
    text = (
        "SERVICE AGREEMENT\n\nThis Service Agreement is entered into on June 1, 2024 by and "
        'between Ardent Finance Private Limited ("Ardent"), a company with offices at Plot 7, '
        'Harbour Road, Kochi, and Skyline Apps Co., Ltd. ("Skyline"), a company incorporated '
        'under the laws of the Republic of Korea ("ROK"). Ardent and Skyline are the "Parties".'
        "\n\nWHEREAS Ardent lends money."
    )
    assert extract(text).parties == ["Ardent Finance Private Limited", "Skyline Apps Co., Ltd."]


# --- redacted values and unfilled placeholders -----------------------------------------------


@pytest.mark.parametrize(
    ("clause", "field", "token"),
    [
        (
            "Customer shall pay each invoice within [***] days of receipt.",
            "payment_terms_days",
            "[***]",
        ),
        (
            "Customer shall pay each invoice within [ * ] days of receipt.",
            "payment_terms_days",
            "[ * ]",
        ),
        (
            "Each invoice is payable within [Confidential Treatment Requested] days after receipt.",
            "payment_terms_days",
            "[Confidential Treatment Requested]",
        ),
        (
            "The aggregate liability of Hollin Tools Ltd shall not exceed [*] dollars.",
            "liability_cap_amount",
            "[*]",
        ),
        (
            "Either party's total liability under this Agreement shall not exceed $[REDACTED].",
            "liability_cap",
            "[REDACTED]",
        ),
        (
            "This Agreement shall continue for an initial term of [***] years from the Effective "
            "Date.",
            "initial_term_months",
            "[***]",
        ),
        (
            "This Agreement renews automatically for successive one (1) year terms unless either "
            "party gives notice of non-renewal at least ***** days before the end of the term.",
            "notice_period_days",
            "*****",
        ),
    ],
)
def test_a_redacted_number_is_reported_as_redacted(clause: str, field: str, token: str) -> None:
    terms = extract(clause)
    assert field in terms.redacted
    assert getattr(terms, field) is None
    assert token in terms.evidence[field][0].text
    assert terms.expiration_date is None


@pytest.mark.parametrize(
    ("clause", "field", "token"),
    [
        (
            "This Agreement shall be governed by the laws of the State of {governing_law}.",
            "governing_law",
            "{governing_law}",
        ),
        (
            "Customer shall pay each invoice within {{payment_days}} days of receipt.",
            "payment_terms_days",
            "{{payment_days}}",
        ),
        (
            "This Agreement is entered into as of [DATE] by and between Orrin Ltd and Pell LLC.",
            "agreement_date",
            "[DATE]",
        ),
    ],
)
def test_a_template_placeholder_is_reported_as_not_filled_in(
    clause: str, field: str, token: str
) -> None:
    terms = extract(clause)
    assert field in terms.unfilled and getattr(terms, field) is None
    assert terms.evidence[field][0].text.endswith(token) or token in terms.evidence[field][0].text


def test_a_party_placeholder_is_never_a_party_name() -> None:
    text = (
        "SERVICES AGREEMENT\n\nThis Services Agreement is entered into as of May 1, 2024 by and "
        'between Harbor Lane Logistics LLC ("Provider") and [Customer Name] ("Customer").'
    )
    terms = extract(text)
    assert terms.parties == ["Harbor Lane Logistics LLC"]
    assert "parties" in terms.unfilled


TEMPLATE = (
    "MASTER SERVICES AGREEMENT\n\nThis Agreement is made on [DATE] between {{Provider}} and "
    "[Customer Name].\n\n1. Fees. Customer shall pay each invoice within [●] days.\n\n"
    "2. Notices go to [Customer Address].\n\n3. This Agreement is governed by the laws of "
    "{governing_law}.\n\nBy: ____________________\nName: ____________________"
)
SIGNED = (
    "MASTER SERVICES AGREEMENT\n\nThis Agreement is made on May 1, 2024 between Orrin Ltd and "
    "Pell LLC.\n\n1. Fees. Customer shall pay each invoice within 30 days. See [Section 5].\n\n"
    "5. Notices. [Reserved]\n\nIN WITNESS WHEREOF\n\nORRIN LTD\nBy: ____________________\n"
    "Name: ____________________\nDate: ________\n\nPELL LLC\nBy: ____________________\n"
    "Title: ____________________"
)


def test_a_template_full_of_placeholders_is_flagged() -> None:
    warning = template_warning(TEMPLATE)
    assert warning is not None and "unfilled template: 6 placeholders" in warning
    terms = extract(TEMPLATE)
    assert terms.governing_law is None and terms.parties == []
    assert {"governing_law", "parties", "agreement_date", "payment_terms_days"} <= set(
        terms.unfilled
    )


def test_signature_lines_and_cross_references_do_not_make_a_template() -> None:
    assert template_warning(SIGNED) is None
    assert extract(SIGNED).unfilled == []
