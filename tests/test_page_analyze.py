"""The Analyze page through AppTest with the real model on a real DuckDB: the fresh-install offer
analyses the bundled samples, the SaaS sample streams its findings and shows the result (risk
counts, quotes inside their clauses, key terms, downloads), the result stays for the session,
and History lists and reopens it unchanged. Bad input gets one short error line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.models import Clause, Finding
from pages._results import quote_html
from pages._ui import md
from tests.conftest import ROOT

SAAS = "saas-subscription-agreement.pdf"
RISK_ICONS = ("🟥", "🟧", "🟨", "🟦")


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    # One database for the module: the taxonomy and playbook are embedded once.
    path = tmp_path_factory.mktemp("analyze") / "analyze.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CA_DB_PATH", str(path))
        yield path


def open_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def finding_labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander if e.label.startswith(RISK_ICONS)]


def analyse_sample(at: AppTest, name: str) -> AppTest:
    at.radio(key="analyze_source").set_value("Bundled sample").run()
    at.selectbox(key="analyze_sample").set_value(name).run()
    return ok(at.button(key="analyze_run").click().run())


@pytest.mark.slow
def test_a_fresh_install_analyses_the_bundled_samples_in_one_click(db_path: Path) -> None:
    at = open_app()
    ok(at.button(key="analyze_samples").click().run())

    (summary,) = [s.value for s in at.success]
    assert summary.startswith("Analysed the bundled samples: 9 analyses")
    assert "analyze_samples" not in [b.key for b in at.button]  # no longer a fresh install
    at.switch_page("pages/history.py")
    ok(at.run())
    (frame,) = [d.value for d in at.dataframe if d.key == "history_table"]
    assert len(frame) == 9 and set(frame["status"]) == {"completed"}
    assert frame["playbook"].value_counts().to_dict() == {
        "default-customer v1": 3,
        "default-customer v2": 3,
        "default-customer v3": 3,
    }


@pytest.mark.slow
def test_the_saas_sample_streams_its_findings_and_shows_the_result(db_path: Path) -> None:
    at = analyse_sample(open_app(), SAAS)

    (status,) = at.status
    assert status.label.startswith("Analysed saas\\-subscription\\-agreement\\.pdf: ")
    streamed = [m.value for m in at.markdown if "**" in m.value and "Data Protection" in m.value]
    assert streamed, "the findings were streamed as they arrived"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["🟥 critical"] == "1"
    assert int(metrics["Findings"]) >= 10
    labels = finding_labels(at)
    assert len(labels) == int(metrics["Findings"])
    assert labels[0] == (
        "🟥 **critical** · Data Protection (missing clause) — not in the contract · ⏳ undecided"
    )
    assert [label[0] for label in labels] == sorted(
        (label[0] for label in labels), key=RISK_ICONS.index
    )
    marked = [h.proto.body for h in at.html if "<mark" in h.proto.body]
    assert any("sole discretion" in body for body in marked)  # the price increase, in its clause
    terms = next(d.value for d in at.dataframe if list(d.value.columns) == ["term", "value"])
    assert dict(terms.to_numpy())["Governing law"] == "Delaware"
    downloads = {d.key for d in at.get("download_button")}
    assert downloads == {f"analyze_result_download_{k}" for k in ("json", "csv", "md", "docx")}
    shown = " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])
    shown = shown.replace("\\", "")  # Markdown escapes
    for internal in ("red_flag", "threshold:", "fallback:", "similarity 0"):
        assert internal not in shown  # the lawyer reads plain words, not rule ids
    assert "raised by red flag" in shown or "raised by the playbook's" in shown
    assert "Nothing analysed yet" not in shown  # the fresh-install offer goes with the first run
    assert any("analysis-result" in h.proto.body for h in at.html)  # the page scrolls to it
    assert not at.error


@pytest.mark.slow
def test_the_result_stays_for_the_session_and_history_reopens_it_unchanged(db_path: Path) -> None:
    at = analyse_sample(open_app(), SAAS)
    labels = finding_labels(at)
    counts = {m.label: m.value for m in at.metric}

    at.switch_page("pages/history.py")
    ok(at.run())
    (frame,) = [d.value for d in at.dataframe if d.key == "history_table"]
    newest = frame.iloc[0]
    assert (newest["document_name"], newest["playbook"]) == (SAAS, "default-customer v3")
    assert newest["critical"] == 1
    at.session_state["history_table"] = {"selection": {"rows": [0], "columns": []}}
    ok(at.run())
    assert finding_labels(at) == labels
    assert {m.label: m.value for m in at.metric} == counts

    at.switch_page("pages/analyze.py")
    ok(at.run())
    assert finding_labels(at) == labels  # the last result is shown again, not re-run
    assert not at.status


@pytest.mark.slow
def test_findings_filter_by_risk_and_kind(db_path: Path) -> None:
    at = analyse_sample(open_app(), SAAS)
    at.multiselect(key="analyze_result_filter_risk").set_value(["critical", "high"]).run()
    labels = finding_labels(ok(at))
    assert labels and all(label.startswith(("🟥", "🟧")) for label in labels)
    at.multiselect(key="analyze_result_filter_kind").set_value(["missing"]).run()
    assert all("(missing clause)" in label for label in finding_labels(ok(at)))


def test_an_empty_upload_gets_one_short_error(db_path: Path) -> None:
    at = open_app()
    at.file_uploader(key="analyze_upload").upload("empty.txt", b"", "text/plain")
    at.run()
    ok(at.button(key="analyze_run").click().run())
    assert [e.value for e in at.error] == [
        "This analysis failed: empty\\.txt is empty \\(0 bytes\\)"
    ]
    assert at.status[0].label == "Analysis of empty\\.txt failed"


def test_the_size_limit_is_shown_and_nothing_to_analyse_keeps_the_button_disabled(
    db_path: Path,
) -> None:
    at = open_app()
    assert at.file_uploader(key="analyze_upload").label.endswith("up to 20 MB")  # the setting
    assert at.button(key="analyze_run").disabled
    at.radio(key="analyze_source").set_value("Paste text").run()
    assert at.button(key="analyze_run").disabled
    at.text_area(key="analyze_text").set_value("1. Term. This Agreement lasts one year.").run()
    assert not at.button(key="analyze_run").disabled


def test_contract_text_is_escaped_inside_the_highlighted_clause() -> None:
    text = "<script>alert(1)</script> Vendor may **change** fees <b>at will</b>."
    clause = Clause(id="c1", start=0, end=len(text))
    start = text.index("Vendor")
    finding = Finding(
        id="f1",
        clause_id="c1",
        clause_type="Price Increases",
        kind="red_flag",
        risk="high",
        source_text=text[start:-1],
        start=start,
        end=len(text) - 1,
        deviation="d",
        recommendation="r",
    )
    body = quote_html(text, clause, finding)
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark" in body
    assert "Vendor may **change** fees &lt;b&gt;at will&lt;/b&gt;</mark>.</div>" in body
    assert md("**x** <b>[link](http://e.example)</b>") == (
        "\\*\\*x\\*\\* \\<b\\>\\[link\\]\\(http\\://e\\.example\\)\\</b\\>"
    )


@pytest.mark.slow
def test_an_nda_gets_its_playbook_and_a_checklist_that_filters_to_problems(db_path: Path) -> None:
    at = analyse_sample(open_app(), "mutual-nda.docx")
    assert at.selectbox(key="analyze_playbook").value.startswith("Automatic")
    checks = [e.label for e in at.expander if e.label.startswith(("✅", "❌", "➖"))]
    assert len(checks) == 13
    assert any(c.startswith("❌ No residuals clause") for c in checks)
    assert any(c.startswith("✅ Return or destruction") for c in checks)
    assert any("positions as we want them" in c.value for c in at.caption)
    at.toggle(key="analyze_result_checks_problems").set_value(True).run()
    problems = [e.label for e in ok(at).expander if e.label.startswith(("✅", "❌", "➖"))]
    assert problems and all(p.startswith("❌") for p in problems) and len(problems) < 13
    marked = [h.proto.body for h in at.html if "<mark" in h.proto.body]
    assert any("unaided memory" in body for body in marked)
