"""The review queue through AppTest: a stored analysis opened from History is a queue of findings
with a decision form on each; decisions are saved as events, progress and the table follow, the
'Only undecided' filter hides decided findings, and the redline download appears once a finding is
accepted. Real DuckDB and pipeline with the fake embedder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.models import Analysis
from core.pipeline import runner
from core.pipeline.events import FinalEvent
from core.pipeline.services import open_services
from core.settings import Settings
from core.store import Store
from tests.conftest import ROOT, SAMPLES
from tests.fakes import FakeEmbedder

NAME = "professional-services-agreement.txt"


@pytest.fixture
def stored(db_path: Path) -> Analysis:
    services = open_services(Settings.from_env({"CA_DB_PATH": str(db_path)}), FakeEmbedder())
    try:
        final = list(runner.run(services, (SAMPLES / NAME).read_bytes(), NAME))[-1]
    finally:
        services.close()
    assert isinstance(final, FinalEvent) and len(final.analysis.findings) >= 3
    return final.analysis


def open_analysis(analysis: Analysis) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["analysis"] = analysis.analysis_id
    at.run()
    at.switch_page("pages/history.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def progress_text(at: AppTest) -> str:
    (bar,) = at.get("progress")
    return str(bar.proto.text)


def findings_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "decision" in d.value.columns)


def save(at: AppTest, fid: str, **values: str) -> AppTest:
    key = f"history_result_{fid}"
    for name, value in values.items():
        widget = {"choice": at.radio, "reason": at.selectbox, "risk": at.selectbox}.get(name)
        if widget is None:
            widget = at.text_area if name == "wording" else at.text_input
        widget(key=f"{key}_{name}").set_value(value)
    at.button(key=f"{key}_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_deciding_on_findings_in_the_queue(db_path: Path, stored: Analysis) -> None:
    at = open_analysis(stored)
    total = len(stored.findings)
    assert progress_text(at) == f"Not started · 0 of {total} decided"
    (docx,) = [d for d in at.get("download_button") if d.key == "history_result_download_docx"]
    assert docx.proto.disabled  # nothing accepted: nothing to redline yet

    f1, f2, f3 = (f.id for f in stored.findings[:3])
    save(at, f1, choice="accepted", note="Raise it on the call")
    save(at, f2, choice="dismissed", reason="already_agreed")
    save(at, f3, risk="low", wording="Ask for payment within 45 days.")
    assert progress_text(at) == f"In review · 2 of {total} decided"

    table = findings_table(at)
    decisions = dict(zip(table["clause type"], table["decision"], strict=False))
    assert "✅ accepted" in decisions.values()
    assert "🚫 dismissed: already agreed" in decisions.values()
    assert "⏳ undecided · edited" in decisions.values()

    at.toggle(key="history_result_only_undecided").set_value(True).run()
    table = findings_table(at)
    assert len(table) == total - 2 and set(table["decision"]) <= {
        "⏳ undecided",
        "⏳ undecided · edited",
    }

    (docx,) = [d for d in at.get("download_button") if d.key == "history_result_download_docx"]
    assert not docx.proto.disabled

    store = Store(db_path)
    try:
        events = store.list_decisions(stored.analysis_id)
    finally:
        store.close()
    assert [(d.finding_id, d.action) for d in events] == [
        (f1, "accept"),
        (f2, "dismiss"),
        (f3, "edit"),
    ]
    assert events[0].note == "Raise it on the call" and events[1].reason == "already_agreed"
    assert events[2].risk == "low" and events[2].recommendation == "Ask for payment within 45 days."


def test_history_shows_the_review_state_and_finds_by_name_or_party(
    db_path: Path, stored: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CA_REVIEWER", "Ann Lawyer")
    at = open_analysis(stored)
    save(at, stored.findings[0].id, choice="accepted")

    def rows(search: str) -> pd.DataFrame:
        at.text_input(key="history_search").set_value(search).run()
        return next(d.value for d in at.dataframe if "review" in d.value.columns)

    row = rows("").iloc[0]
    assert (row["review"], row["reviewer"]) == ("in review", "Ann Lawyer")
    party = stored.key_terms.parties[0]
    assert party and len(rows(party.split()[0].lower())) == 1  # a party, any case
    assert len(rows("PROFESSIONAL-services")) == 1  # part of the file name
    at.text_input(key="history_search").set_value("no such contract_%").run()
    assert "No analysis matches these filters." in [i.value for i in at.info]


def test_saving_an_unchanged_form_records_nothing(db_path: Path, stored: Analysis) -> None:
    at = open_analysis(stored)
    save(at, stored.findings[0].id)
    assert "Nothing changed." in [i.value for i in at.info]
    store = Store(db_path)
    try:
        assert store.list_decisions(stored.analysis_id) == []
    finally:
        store.close()


def test_a_dismissed_acceptable_finding_teaches_the_playbook_in_one_click(
    db_path: Path, stored: Analysis
) -> None:
    at = open_analysis(stored)
    quoted = next(f for f in stored.findings if f.end > f.start)
    save(at, quoted.id, choice="dismissed", reason="acceptable_risk")
    key = f"history_result_{quoted.id}_teach"
    assert at.text_input(key=f"{key}_note").value.startswith("Accept wording from ")
    at.button(key=f"{key}_save").click().run()
    assert not at.exception
    (done,) = [s.value for s in at.success]
    assert done.startswith("Saved as default-customer@v") and "once it is published" in done
    store = Store(db_path)
    try:
        draft = store.get_version("default-customer", drafts=True)
        assert draft.draft and draft.change_note.startswith("Accept wording")
    finally:
        store.close()


def test_deleting_an_analysis_asks_first_and_is_audited(
    db_path: Path, stored: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CA_REVIEWER", "Ann Lawyer")
    at = open_analysis(stored)
    save(at, stored.findings[0].id, choice="accepted")
    assert at.button(key="history_delete").disabled  # not without saying yes
    at.checkbox(key="history_delete_sure").check().run()
    at.button(key="history_delete").click().run()
    assert not at.exception
    (done,) = [s.value for s in at.success]
    assert done.replace("\\", "") == f"Deleted the analysis of {NAME}."
    assert any(i.value.startswith("Nothing analysed yet") for i in at.info)  # it was the only one

    store = Store(db_path)
    try:
        (entry,) = store.audit_log()
        assert (entry["user"], entry["action"], entry["analysis_id"]) == (
            "Ann Lawyer",
            "delete analysis",
            stored.analysis_id,
        )
        assert entry["detail"]["document_name"] == NAME and entry["detail"]["decisions"] == 1
        assert store.list_decisions(stored.analysis_id) == []
        with pytest.raises(Exception, match="no stored analysis"):
            store.load_analysis(stored.analysis_id)
    finally:
        store.close()
