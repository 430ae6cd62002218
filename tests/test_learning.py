"""Learning from decisions: a finding dismissed as an acceptable risk becomes accepted wording of
its playbook position in a new version, and the same wording is not flagged again, for clause
rules (offline engine) and for plain-words checks (verdicts). Real DuckDB, fake model."""

from __future__ import annotations

import pytest

from core.app import run_analysis
from core.errors import ReviewError
from core.models import Analysis
from core.pipeline.events import FinalEvent
from core.pipeline.services import Services
from core.playbooks.schema import Check, CheckExamples
from core.review.actions import decide
from core.review.learning import accept_wording
from core.verdicts.judge import check_vectors, judge_checks
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder

NAME = "professional-services-agreement.txt"


def analyse(services: Services) -> Analysis:
    final = list(run_analysis(services, (SAMPLES / NAME).read_bytes(), NAME))[-1]
    assert isinstance(final, FinalEvent) and final.analysis.status == "completed"
    return final.analysis


def test_accepted_wording_is_not_flagged_again_under_the_new_version(
    fake_services: Services,
) -> None:
    first = analyse(fake_services)
    quoted = next(f for f in first.findings if f.end > f.start)
    store = fake_services.store
    decide(store, first.analysis_id, [quoted.id], "dismiss", reason="acceptable_risk")
    result = accept_wording(store, first.analysis_id, quoted.id, "Fine for this supplier")

    assert result.created and result.version.version == first.playbook.version + 1  # type: ignore[union-attr]
    assert result.version.change_note == "Fine for this supplier"
    assert result.version.draft  # not everyone's default until it is published
    still = analyse(fake_services)
    assert still.playbook == first.playbook
    assert quoted.source_text in [f.source_text for f in still.findings]

    store.publish_version(result.version.id)
    second = analyse(fake_services)
    assert second.playbook.version_id == result.version.id  # type: ignore[union-attr]
    assert quoted.source_text not in [f.source_text for f in second.findings]
    others = {f.source_text for f in first.findings} - {quoted.source_text}
    assert others <= {f.source_text for f in second.findings}  # nothing else was silenced

    with pytest.raises(ReviewError, match="already accepted in"):
        accept_wording(store, first.analysis_id, quoted.id, "again")


def test_only_a_finding_dismissed_as_acceptable_can_teach(fake_services: Services) -> None:
    analysis = analyse(fake_services)
    quoted = next(f for f in analysis.findings if f.end > f.start)
    store = fake_services.store
    decide(store, analysis.analysis_id, [quoted.id], "dismiss", reason="false_alarm")
    with pytest.raises(ReviewError, match="dismissed as an acceptable risk"):
        accept_wording(store, analysis.analysis_id, quoted.id, "no")
    missing = next(f for f in analysis.findings if f.kind == "missing")
    decide(store, analysis.analysis_id, [missing.id], "dismiss", reason="acceptable_risk")
    with pytest.raises(ReviewError, match="a missing clause has no wording"):
        accept_wording(store, analysis.analysis_id, missing.id, "no")


@pytest.mark.parametrize("wanted", [True, False])
def test_accepted_wording_turns_a_checks_verdict_our_way(wanted: bool) -> None:
    text = "The Receiving Party may keep archival copies of all Confidential Information forever."
    against = {"contradicts": [text]} if wanted else {"says": [text]}
    check = Check(
        id="no-archive",
        statement="The recipient returns or destroys every copy.",
        wanted=wanted,
        recommendation="Return or destroy all copies.",
        examples=CheckExamples(**against),
    )
    embedder = FakeEmbedder()
    sentences = [(0, len(text))]
    x = embedder.encode([text])

    def verdict(c: Check) -> str:
        (judged,) = judge_checks([c], check_vectors(embedder, [c]), sentences, x, None, text)
        return judged.verdict

    assert verdict(check) == ("contradicts" if wanted else "states")  # against us
    learned = check.model_copy(
        update={"examples": check.examples.model_copy(update={"accepted": [text]})}
    )
    assert verdict(learned) == ("states" if wanted else "silent")  # now our way
