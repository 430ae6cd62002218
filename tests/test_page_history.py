"""The History page through AppTest, on a real DuckDB: every stored analysis (completed, failed,
interrupted) listed with its playbook version, filtered and paginated in SQL, and opened exactly
as it was stored. The database is filled by the real pipeline with the fake embedder (fast), plus
older analyses written through the store; no model loads here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.models import Analysis, DocumentInfo, Finding, PlaybookRef
from core.pipeline import runner
from core.pipeline.events import FindingEvent
from core.pipeline.samples import analyse_samples
from core.pipeline.services import Services, open_services
from core.settings import Settings
from core.store import Store
from core.store.history_queries import HistoryFilter, history_options, history_page
from tests.conftest import ROOT, SAMPLES, open_app_page
from tests.fakes import FakeEmbedder

OLD = 25  # analyses written 40-44 days ago, for paging and the date filter


@dataclass(frozen=True)
class Stored:
    path: Path
    runs: list[Analysis]  # the samples under v1 then v2
    failed: Analysis
    interrupted: Analysis


def _old_analysis(n: int, now: datetime) -> tuple[Analysis, Finding]:
    finding = Finding(
        id="f1",
        clause_id=None,
        clause_type="Security",
        kind="missing",
        risk="low",
        source_text="",
        start=0,
        end=0,
        deviation="No Security clause.",
        recommendation="Add one.",
    )
    analysis = Analysis(
        analysis_id=f"old{n:02d}",
        status="completed",
        created_at=(now - timedelta(days=40 + n % 5)).isoformat(),
        document=DocumentInfo(name=f"old-{n:02d}.txt", sha256=f"s{n}", chars=5, text="Hello"),
        playbook=PlaybookRef(name="default-customer", version=1, version_id="default-customer@v1"),
    )
    return analysis, finding


def _interrupt(services: Services) -> str:
    # Stop listening after the first finding: the pipeline marks the run interrupted.
    data = (SAMPLES / "saas-subscription-agreement.pdf").read_bytes()
    events = runner.run(services, data, "stopped.pdf")
    for event in events:
        if isinstance(event, FindingEvent):
            events.close()
            return event.analysis_id
    raise AssertionError("no finding before the end")


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stored]:
    path = tmp_path_factory.mktemp("history") / "history.duckdb"
    services = open_services(Settings.from_env({"CA_DB_PATH": str(path)}), embedder=FakeEmbedder())
    now = datetime.now(UTC).replace(tzinfo=None)
    for n in range(OLD):
        analysis, finding = _old_analysis(n, now)
        services.store.start_analysis(analysis)
        services.store.add_findings(analysis.analysis_id, 1, [finding])
        services.store.finish_analysis(analysis)
    runs = [s.analysis for s in analyse_samples(services) if s.analysis is not None]
    failed = list(runner.run(services, b"", "empty.txt"))[-1].analysis  # type: ignore[union-attr]
    interrupted = services.store.load_analysis(_interrupt(services))
    services.close()
    yield Stored(path, runs, failed, interrupted)


@pytest.fixture
def db(stored: Stored, monkeypatch: pytest.MonkeyPatch) -> Stored:
    monkeypatch.setenv("CA_DB_PATH", str(stored.path))
    return stored


def table(at: AppTest) -> pd.DataFrame:
    (frame,) = [d for d in at.dataframe if d.key == "history_table"]
    return frame.value


def captions(at: AppTest) -> str:
    return " | ".join(c.value for c in at.caption)


def select_row(at: AppTest, index: int) -> AppTest:
    at.session_state["history_table"] = {"selection": {"rows": [index], "columns": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def row_of(at: AppTest, **match: str) -> int:
    frame = table(at)
    hits = frame.index[(frame[list(match)] == pd.Series(match)).all(axis=1)]
    return int(hits[0])


# --- the store queries ------------------------------------------------------------------------
def test_pages_are_counted_and_clamped_in_sql(stored: Stored) -> None:
    store = Store(stored.path)
    try:
        first = history_page(store, HistoryFilter(), page=1, page_size=10)
        beyond = history_page(store, HistoryFilter(), page=99, page_size=10)
        options = history_options(store)
    finally:
        store.close()
    assert (first.total, first.pages, len(first.rows)) == (OLD + 11, 4, 10)
    assert (beyond.page, len(beyond.rows)) == (4, 6)  # the last page, not an empty one
    assert first.rows["created_at"].is_monotonic_decreasing
    assert set(options.versions.values()) == {f"default-customer v{n}" for n in (1, 2, 3)}


# --- the page ---------------------------------------------------------------------------------
def test_every_analysis_is_listed_with_playbook_version_status_and_error(db: Stored) -> None:
    at = open_app_page("pages/history.py")
    frame = table(at)

    assert "Page 1 of 2 · 36 analyses match" in captions(at)
    assert len(frame) == 25
    assert frame["status"].iloc[0] == "interrupted"  # the newest
    assert {"default-customer v1", "default-customer v2"} <= set(frame["playbook"])
    failed = frame[frame["status"] == "failed"].iloc[0]
    assert failed["document_name"] == "empty.txt"
    assert "empty.txt is empty (0 bytes)" in failed["error"]
    saas = frame[frame["document_name"] == "saas-subscription-agreement.pdf"]
    assert len(saas) == 3 and (saas["critical"] >= 1).all()
    assert (frame["tokens"] == 0).all() and (frame["cost_usd"] == 0).all()  # offline engine
    assert not at.error


def test_page_size_and_page_number_walk_through_every_analysis(db: Stored) -> None:
    at = open_app_page("pages/history.py")
    at.selectbox(key="history_page_size").set_value(10).run()
    assert len(table(at)) == 10 and "Page 1 of 4" in captions(at)

    at.number_input(key="history_page").set_value(4).run()
    assert len(table(at)) == 6 and "Page 4 of 4" in captions(at)
    assert set(table(at)["document_name"]) <= {f"old-{n:02d}.txt" for n in range(OLD)}


def test_filters_by_status_playbook_version_risk_and_date(db: Stored) -> None:
    at = open_app_page("pages/history.py")
    at.multiselect(key="history_status").set_value(["failed", "interrupted"]).run()
    assert sorted(table(at)["status"]) == ["failed", "interrupted"]

    at.multiselect(key="history_status").set_value([]).run()
    at.multiselect(key="history_playbook").set_value(["default-customer@v3"]).run()
    assert len(table(at)) == 5  # 3 samples, the failed and the interrupted run (latest version)
    assert set(table(at)["playbook"]) == {"default-customer v3"}

    at.multiselect(key="history_playbook").set_value([]).run()
    at.multiselect(key="history_risk").set_value(["critical"]).run()
    stored = [*db.runs, db.interrupted]
    expected = sum(any(f.risk == "critical" for f in a.findings) for a in stored)
    assert len(table(at)) == expected
    assert (table(at)["critical"] >= 1).all()

    at.multiselect(key="history_risk").set_value([]).run()
    today = datetime.now(UTC).date()
    at.date_input(key="history_dates").set_value(
        (today - timedelta(days=44), today - timedelta(days=30))
    ).run()
    assert "25 analyses match" in captions(at)
    at.date_input(key="history_dates").set_value((today - timedelta(days=20),) * 2).run()
    assert "No analysis matches these filters." in [i.value for i in at.info]
    assert not at.exception


def test_opening_an_analysis_shows_it_exactly_as_stored(db: Stored) -> None:
    saas = db.runs[-1]  # the SaaS sample under v3, the latest version
    at = open_app_page("pages/history.py")
    select_row(at, row_of(at, document_name=saas.document.name, playbook="default-customer v3"))

    assert at.subheader[0].value == "saas\\-subscription\\-agreement\\.pdf"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Findings"] == str(len(saas.findings))
    assert metrics["🟥 critical"] == str(sum(f.risk == "critical" for f in saas.findings))
    labels = [e.label for e in at.expander if e.label.startswith(("🟥", "🟧", "🟨", "🟦"))]
    assert len(labels) == len(saas.findings)
    assert any("Data Protection (missing clause)" in label for label in labels)
    said = [m.value.split(".**")[0] for m in at.markdown if m.value.startswith("**")]
    assert "**Missing" in said and "**Red flag" in said  # each finding says what kind it is
    assert any(analysis_id in c for c in [captions(at)] for analysis_id in [saas.analysis_id])
    (params,) = [d.value for d in at.dataframe if list(d.value.columns) == ["parameter", "value"]]
    assert dict(params.to_numpy()) == {k: str(v) for k, v in saas.parameters.items()}
    downloads = {d.key for d in at.get("download_button")}
    assert downloads == {f"history_result_download_{k}" for k in ("json", "csv", "md", "docx")}


def test_failed_and_interrupted_analyses_show_their_error(db: Stored) -> None:
    at = open_app_page("pages/history.py")
    select_row(at, row_of(at, status="failed"))
    assert [e.value for e in at.error] == [
        "This analysis failed: empty\\.txt is empty \\(0 bytes\\)"
    ]
    assert not at.metric  # nothing was found: no empty findings section
    assert not at.get("download_button")  # and nothing to download

    select_row(at, row_of(at, status="interrupted"))
    warning = at.warning[0].value
    assert warning.startswith("This analysis was interrupted: stopped before it finished")
    assert at.metric[0].value == str(len(db.interrupted.findings))  # stored before it stopped
    assert db.interrupted.findings


def test_a_link_with_the_analysis_id_opens_it(db: Stored) -> None:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["analysis"] = db.interrupted.analysis_id
    at.run()
    at.switch_page("pages/history.py")
    at.run()
    assert not at.exception
    assert at.subheader[0].value == "stopped\\.pdf"


@pytest.mark.parametrize(
    "page", ["pages/analyze.py", "pages/history.py", "pages/insights.py", "pages/playbooks.py"]
)
def test_every_page_renders_over_this_history(db: Stored, page: str) -> None:
    at = open_app_page(page)
    assert not at.error


def test_an_empty_database_points_to_the_analyze_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CA_DB_PATH", str(tmp_path / "empty.duckdb"))
    at = open_app_page("pages/history.py")
    assert any("Nothing analysed yet" in i.value for i in at.info)
    assert at.page_link[0].proto.page.endswith("analyze")


def test_a_truncated_pdf_fails_on_analyze_and_its_error_is_in_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CA_DB_PATH", str(tmp_path / "failed.duckdb"))
    truncated = (SAMPLES / "saas-subscription-agreement.pdf").read_bytes()[:1500]
    at = open_app_page("pages/analyze.py")
    at.file_uploader(key="analyze_upload").upload("broken.pdf", truncated, "application/pdf")
    at.run()
    at.button(key="analyze_run").click().run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert error.startswith("This analysis failed: broken\\.pdf")
    assert at.status[0].label == "Analysis of broken\\.pdf failed"

    at.switch_page("pages/history.py")
    at.run()
    frame = table(at)
    assert list(frame["status"]) == ["failed"]
    assert frame["error"].iloc[0].startswith("broken.pdf")
    select_row(at, 0)
    assert [e.value for e in at.error] == [error]


def test_changing_the_filters_closes_the_open_analysis(db: Stored) -> None:
    at = open_app_page("pages/history.py")
    select_row(at, row_of(at, status="failed"))
    assert at.error

    at.multiselect(key="history_status").set_value(["completed"]).run()
    assert not at.exception
    assert not at.error  # row 0 now is another analysis: nothing is opened by accident
    assert "No analysis open." in captions(at)
