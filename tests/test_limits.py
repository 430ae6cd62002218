"""Limits a user meets: hostile files are refused within seconds by the parsing sandbox, each
client gets a fixed number of analyses per window with a "try again in N seconds" message, and
the limits are stated in one line."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from core.documents import load, read
from core.errors import CorruptDocument, ParseLimitExceeded, RateLimited
from core.pipeline.limits import RateLimiter, limits_text
from core.settings import Settings
from tests.conftest import ROOT


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def pdf_with_content(content: bytes) -> bytes:
    """A one-page PDF with a Helvetica font resource (/F1) and this content stream."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 6, "placeholder")
    writer = PdfWriter(clone_from=io.BytesIO(bytes(pdf.output())))
    page = writer.pages[0]
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_rate_limit_per_client_with_retry_time() -> None:
    clock = Clock()
    limiter = RateLimiter(2, 60, clock)
    limiter.acquire("alice")
    clock.now += 10
    limiter.acquire("alice")
    limiter.acquire("bob")  # another client is not affected
    with pytest.raises(RateLimited, match="try again in 50 seconds") as info:
        limiter.acquire("alice")
    assert info.value.retry_after_s == 50
    clock.now += 50  # the first analysis leaves the window
    limiter.acquire("alice")
    with pytest.raises(RateLimited, match="try again in 10 seconds"):
        limiter.acquire("alice")


def test_limits_are_stated_in_one_line() -> None:
    settings = Settings(max_bytes=5_000_000, max_pages=40, rate_limit_analyses=3)
    text = limits_text(settings)
    assert "5 MB" in text and "40 PDF pages" in text and "3 analyses per 5 minutes" in text


def test_sandboxed_read_matches_in_process_read(settings: Settings) -> None:
    data = pdf_with_content(b"BT /F1 12 Tf 72 700 Td (The Buyer shall pay.) Tj ET")
    assert load(data, "a.pdf", settings).text == read(data, "a.pdf", settings).text
    with pytest.raises(CorruptDocument, match="damaged"):
        load(b"%PDF-1.7\n1 0 obj <<", "cut.pdf", settings)


def test_a_file_that_takes_too_long_is_stopped_at_the_deadline(settings: Settings) -> None:
    # A content stream of a million text operators: slow to interpret, small to upload.
    slow = pdf_with_content(b"BT /F1 12 Tf " + b"(x) Tj 1 0 Td " * 1_000_000 + b"ET")
    limited = settings.model_copy(update={"parse_timeout_s": 0.5})
    started = time.monotonic()
    with pytest.raises(ParseLimitExceeded, match=r"took longer than 0.5 s to read"):
        load(slow, "slow.pdf", limited)
    assert time.monotonic() - started < 5


MEMORY_PROBE = """
import sys
from core.documents import load
from core.errors import DocumentError
from core.settings import Settings
from tests.conftest import ROOT
from core.documents.sandbox import preload
data = sys.stdin.buffer.read()
preload()  # as the app does before its first fork
try:
    load(data, "bomb.pdf", Settings(parse_memory_mb=int(sys.argv[1])))
    print("read")
except DocumentError as exc:
    print(type(exc).__name__, exc)
"""


def test_a_file_that_needs_too_much_memory_is_refused(tmp_path: Path) -> None:
    # A page whose content stream inflates from ~40 KB to 40 MB (under pypdf's own output
    # limit). The budget is on top of what the process has mapped, so it is measured in a fresh
    # process (a long-lived one has malloc arenas mapped but unused, which loosens the cap).
    bomb = pdf_with_content(b"BT /F1 12 Tf 72 700 Td (x) Tj ET\n" + b" " * 40_000_000)
    assert len(bomb) < 200_000
    outcome = {}
    for budget in ("1", "1024"):
        run = subprocess.run(
            [sys.executable, "-c", MEMORY_PROBE, budget],
            input=bomb, capture_output=True, cwd=ROOT, timeout=60,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        outcome[budget] = run.stdout.decode().strip()  # a hang would hit the timeout
    assert re.match(
        r"(ParseLimitExceeded|DocumentTooLarge) bomb.pdf .*(memory|limit)", outcome["1"]
    )
    assert outcome["1024"] == "read"


def test_a_pdf_named_as_text_is_still_parsed_in_the_sandbox(settings: Settings) -> None:
    # Plain text is decoded in-process (our own code; a fork of the model-holding process costs
    # more than the read), so what goes to the sandbox is decided by the bytes, not the name.
    slow = pdf_with_content(b"BT /F1 12 Tf " + b"(x) Tj 1 0 Td " * 1_000_000 + b"ET")
    limited = settings.model_copy(update={"parse_timeout_s": 0.5})
    with pytest.raises(ParseLimitExceeded, match=r"took longer than 0.5 s to read"):
        load(slow, "renamed.txt", limited)
    assert load("Plain text, § 1. Café".encode(), "a.txt", limited).text == "Plain text, § 1. Café"
