"""The Playbooks page through AppTest: the bundled versions, a new version made in the editor
and diffed against the latest, an invalid edit shown as one error line, an upload, and the
comparison of one document's analyses under v1 and v2. Analyses are made beforehand with the
fake embedder; only the re-run test loads the real model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from core.models import Analysis
from core.pipeline import runner
from core.pipeline.events import FinalEvent
from core.pipeline.services import Services, open_services
from core.portfolio.comparison import rerun
from core.settings import Settings
from core.store import Store
from tests.conftest import ROOT, SAMPLES, open_app_page
from tests.fakes import FakeEmbedder

SAAS = SAMPLES / "saas-subscription-agreement.pdf"


def html_text(at: AppTest) -> str:
    return "\n".join(h.value for h in at.html)


def latest_content() -> str:
    return (ROOT / "data" / "playbooks" / "default-customer.v3.yaml").read_text(encoding="utf-8")


def test_bundled_versions_are_listed_with_their_notes(db_path: Path) -> None:
    at = open_app_page("pages/playbooks.py")
    table = at.dataframe[0].value
    assert list(table["version"]) == ["v3", "v2", "v1"]
    assert table["change note"].iloc[0].startswith("Declares the kinds of contract")
    assert all(len(sha) == 12 for sha in table["sha256"])
    assert list(table["status"]) == ["published · the default", "published", "published"]
    # the positions of the latest version, filtered to one clause type
    at.multiselect(key="pb_view_types").set_value(["Payment Terms"]).run()
    assert [e.label for e in at.expander if e.label.startswith("Payment Terms")]
    assert "payment_terms_days &gt;= 45" in html_text(at)
    assert "1 of 38 clause types" in at.caption[0].value
    assert not at.exception


def test_new_version_from_the_editor_then_diffed_against_the_latest(db_path: Path) -> None:
    at = open_app_page("pages/playbooks.py")
    assert at.text_area(key="pb_edit_yaml").value == latest_content()
    edited = latest_content().replace("value: 45", "value: 60")
    at.text_area(key="pb_edit_yaml").set_value(edited)
    at.button(key="pb_edit_create").click().run()
    assert [e.value for e in at.error] == ["a change note is required: say why this version exists"]
    at.text_input(key="pb_edit_note").set_value("payables now run monthly")
    at.button(key="pb_edit_create").click().run()
    assert not at.exception and not at.error
    assert any("created default-customer@v4" in s.value for s in at.success)
    assert list(at.dataframe[0].value["version"]) == ["v4", "v3", "v2", "v1"]
    assert at.text_input(key="pb_edit_note").value == ""
    # diff v3 → v4: only Payment Terms changed, threshold 45 struck, 60 added
    at.selectbox(key="pb_diff_old").set_value(3)
    at.selectbox(key="pb_diff_new").set_value(4).run()
    assert "default-customer@v3 → default-customer@v4" in [c.value for c in at.caption]
    assert "**Payment Terms** — changed" in [m.value for m in at.markdown]
    page = html_text(at)
    assert "<del" in page and "payment_terms_days &gt;= 45 [medium]" in page
    assert "<ins" in page and "payment_terms_days &gt;= 60 [medium]" in page
    assert not at.exception


def test_a_new_version_is_a_draft_until_published(db_path: Path) -> None:
    at = open_app_page("pages/playbooks.py")
    edited = latest_content().replace("value: 45", "value: 60")
    at.text_area(key="pb_edit_yaml").set_value(edited)
    at.text_input(key="pb_edit_note").set_value("payables now run monthly")
    at.button(key="pb_edit_create").click().run()
    table = at.dataframe[0].value
    assert list(table["status"])[:2] == ["draft", "published · the default"]

    analyze = open_app_page("pages/analyze.py")  # the draft is not what analyses use by default
    analyze.selectbox(key="analyze_playbook").set_value("default-customer").run()
    assert analyze.selectbox(key="analyze_version").value == 3
    assert "v4 (draft)" in analyze.selectbox(key="analyze_version").format_func(4)

    at.button(key="pb_publish_default-customer@v4").click().run()
    assert not at.exception
    assert any("Published default-customer@v4" in s.value for s in at.success)
    assert list(at.dataframe[0].value["status"])[:2] == ["published · the default", "published"]
    store = Store(db_path)
    try:
        assert store.get_version("default-customer").version == 4
    finally:
        store.close()


def test_the_diff_says_in_plain_words_what_kinds_of_contract_a_version_is_for(
    db_path: Path,
) -> None:
    at = open_app_page("pages/playbooks.py")
    at.selectbox(key="pb_diff_old").set_value(2)
    at.selectbox(key="pb_diff_new").set_value(3).run()
    assert "**Whole playbook** — changed" in [m.value for m in at.markdown]
    page = html_text(at)
    assert "Kinds of contract it is written for" in page and "contract_types" not in page
    assert "+ SaaS or cloud services agreements" in page and "+ licence agreements" in page
    assert not at.exception


def test_invalid_edit_shows_one_located_error_line(db_path: Path) -> None:
    at = open_app_page("pages/playbooks.py")
    data = yaml.safe_load(latest_content())
    data["rules"][3]["risk"] = "severe"
    at.text_area(key="pb_edit_yaml").set_value(yaml.safe_dump(data, sort_keys=False))
    at.text_input(key="pb_edit_note").set_value("riskier")
    at.button(key="pb_edit_validate").click().run()
    assert [e.value for e in at.error] == [
        "edited playbook: rules.3.risk: Input should be 'low', 'medium', 'high' or 'critical'"
    ]
    at.button(key="pb_edit_create").click().run()
    assert len(at.error) == 1 and "rules.3.risk" in at.error[0].value
    assert list(at.dataframe[0].value["version"]) == ["v3", "v2", "v1"]
    assert not at.exception


def test_uploaded_yaml_fills_the_editor_and_validates(db_path: Path) -> None:
    at = open_app_page("pages/playbooks.py")
    edited = latest_content().replace("value: 45", "value: 60")
    at.file_uploader(key="pb_edit_up").set_value(("mine.yaml", edited.encode(), "text/yaml"))
    at.run()
    assert at.text_area(key="pb_edit_yaml").value == edited
    at.button(key="pb_edit_validate").click().run()
    assert any("1 clause type differs from default-customer@v3" in s.value for s in at.success)
    assert "**Payment Terms** — changed" in [m.value for m in at.markdown]
    assert not at.exception and not at.error


def analyse(services: Services, spec: str) -> Analysis:
    events = list(runner.run(services, SAAS.read_bytes(), SAAS.name, spec))
    final = events[-1]
    assert isinstance(final, FinalEvent) and final.analysis.status == "completed"
    return final.analysis


def analyse_v1_and_v2(db_path: Path) -> None:
    services = open_services(Settings.from_env({"CA_DB_PATH": str(db_path)}), FakeEmbedder())
    try:
        v1 = analyse(services, "default-customer@1")
        rerun(services, v1.analysis_id, "default-customer@2")
    finally:
        services.close()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_compare_shows_findings_added_and_risk_changed_between_v1_and_v2(db_path: Path) -> None:
    analyse_v1_and_v2(db_path)
    at = open_app_page("pages/playbooks.py")
    assert (
        at.selectbox(key="pb_cmp_before")
        .format_func(at.selectbox(key="pb_cmp_before").value)
        .startswith("default-customer v1")
    )
    counts = metrics(at)
    assert counts["Added"] == "1" and counts["Risk changed"] == "1" and counts["Removed"] == "0"
    tables = [t.value for t in at.dataframe[1:]]
    added, changed = tables
    assert list(added["clause type"]) == ["Service Levels"]
    assert list(changed["clause type"]) == ["Publicity"]
    assert changed["risk"].iloc[0] == "🟨 medium → 🟦 low"
    guidance = [e.label for e in at.expander if e.label.startswith("Guidance changed")]
    assert "Guidance changed: Payment Terms (deviation, 🟨 medium)" in guidance
    # swapping the two analyses turns the addition into a removal
    before, after = at.selectbox(key="pb_cmp_before").value, at.selectbox(key="pb_cmp_after").value
    at.selectbox(key="pb_cmp_before").set_value(after)
    at.selectbox(key="pb_cmp_after").set_value(before).run()
    assert metrics(at)["Removed"] == "1" and metrics(at)["Added"] == "0"
    assert not at.exception and not at.error


def test_empty_database_says_there_is_nothing_to_compare(db_path: Path) -> None:
    at = open_app_page("pages/playbooks.py")
    assert any("No document has been analysed yet" in i.value for i in at.info)
    assert not at.exception


def rerun_page(db_path: Path, embedder: Any) -> AppTest:
    """The Playbooks page over one analysis under v1, with version 2 chosen to re-run against."""
    services = open_services(Settings.from_env({"CA_DB_PATH": str(db_path)}), embedder)
    try:
        analyse(services, "default-customer@1")
    finally:
        services.close()
    at = open_app_page("pages/playbooks.py")
    assert any("re-run this document" in i.value for i in at.info)
    at.selectbox(key="pb_cmp_target").set_value(2).run()
    return at


@pytest.mark.slow
def test_rerun_against_v2_from_the_page_then_compares(db_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    at = rerun_page(db_path, real_embedder)
    assert at.button(key="pb_cmp_rerun").label == "Re-run this document against version 2"
    at.button(key="pb_cmp_rerun").click().run()
    assert not at.exception and not at.error
    assert (
        at.selectbox(key="pb_cmp_after")
        .format_func(at.selectbox(key="pb_cmp_after").value)
        .startswith("default-customer v2")
    )
    assert int(metrics(at)["Risk changed"]) >= 1
    assert any(e.label.startswith("Guidance changed: Payment Terms") for e in at.expander)


def test_a_check_is_edited_as_a_form_and_saved_as_the_next_version(db_path: Path) -> None:
    at = open_app_page("pages/playbooks.py")
    at.selectbox(key="pb_name").set_value("mutual-nda").run()
    labels = [e.label for e in at.expander]
    assert any(label.startswith("No residuals clause — we do not want this") for label in labels)
    at.selectbox(key="pb_check_pick").set_value("no-residuals").run()
    k = "pb_check_mutual-nda@v1_no-residuals"
    assert at.text_area(key=f"{k}_statement").value.startswith("A party may freely use ideas")
    at.selectbox(key=f"{k}_risk").set_value("critical")
    at.text_area(key=f"{k}_says").set_value(
        "Each party may use residual know-how its staff remember.\nResiduals may be used freely."
    )
    at.button(key=f"{k}_save").click().run()
    assert [e.value for e in at.error] == ["a change note is required: say why this version exists"]
    at.text_input(key=f"{k}_note").set_value("Residuals are critical for us")
    at.button(key=f"{k}_save").click().run()
    assert not at.exception and not at.error
    assert any("created mutual-nda@v2" in s.value for s in at.success)
    services = open_services(Settings.from_env({"CA_DB_PATH": str(db_path)}), FakeEmbedder())
    try:
        stored = yaml.safe_load(services.store.get_version("mutual-nda", 2).content)
    finally:
        services.close()
    residuals = next(c for c in stored["checks"] if c["id"] == "no-residuals")
    assert residuals["risk"] == "critical" and residuals["wanted"] is False
    assert residuals["examples"]["says"][1] == "Residuals may be used freely."
    assert len(stored["checks"]) == 13


@pytest.mark.slow
def test_a_rerun_counts_against_the_analysis_rate_limit(
    db_path: Path,
    real_embedder,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Re-running from the Playbooks page starts an analysis like the Analyze page does, so the
    # same per-client limit applies (it was not counted, so it bypassed the limit).
    monkeypatch.setenv("CA_RATE_LIMIT_ANALYSES", "1")
    monkeypatch.setenv("CA_RATE_LIMIT_WINDOW_S", "3599")  # a limiter of its own in this process
    at = rerun_page(db_path, real_embedder)
    at.button(key="pb_cmp_rerun").click().run()
    assert not at.exception and not at.error  # the first re-run is within the limit
    at.button(key="pb_cmp_rerun").click().run()
    (error,) = [e.value for e in at.error]
    assert "try again in" in error
