"""The parsing sandbox forks a process that is multi-threaded (the dashboard always is). Python
3.12+ warns on such a fork, and a warnings filter of "error" (pytest's here) would raise it in
the parent after the child already exists; and a child that takes a lock another thread held at
the fork hangs until the deadline. Reading a file must neither warn nor touch such locks."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator

import pytest

from core.documents import load
from core.settings import Settings
from tests.conftest import ROOT, SAMPLES

# CPython 3.12+'s text (Modules/posixmodule.c, warn_about_fork_with_threads).
FORK_WARNING = (
    "This process (pid={pid}) is multi-threaded, use of fork() may lead to deadlocks in the child."
)


@pytest.fixture
def busy_thread() -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join()


@pytest.fixture
def fork_of_python_312(monkeypatch: pytest.MonkeyPatch) -> None:
    """os.fork as Python 3.12+ has it (CI runs 3.11): in a multi-threaded process the parent
    gets a DeprecationWarning once the child exists."""
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid and threading.active_count() > 1:
            warnings.warn(FORK_WARNING.format(pid=os.getpid()), DeprecationWarning, stacklevel=2)
        return pid

    monkeypatch.setattr(os, "fork", fork)


@pytest.mark.usefixtures("busy_thread", "fork_of_python_312")
def test_a_file_is_read_in_a_multithreaded_process_without_a_fork_warning(
    settings: Settings,
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for sample in sorted(SAMPLES.iterdir()):
            doc = load(sample.read_bytes(), sample.name, settings)
            assert doc.text.strip(), sample.name
        with pytest.raises(DeprecationWarning):  # silenced only around the sandbox's fork
            warnings.warn(FORK_WARNING.format(pid=1), DeprecationWarning, stacklevel=1)


LAZY_IMPORTS_PROBE = """
import io, sys, zipfile
from core.documents import sandbox
sandbox.preload()  # what the parent does before its first fork
from core.documents.loader import read
from core.errors import DocumentError
from core.settings import Settings
from tests.conftest import SAMPLES
files = [(p.read_bytes(), p.name) for p in sorted(SAMPLES.iterdir())]
files += [
    ("Prix: 100 € — café".encode("cp1252"), "latin.txt"),
    ("\\ufeffUTF-16 text".encode("utf-16"), "wide.txt"),
    ("BOM text".encode("utf-8-sig"), "bom.md"),
    (b"%PDF-1.7\\n1 0 obj <<", "cut.pdf"),
    (b"PK\\x03\\x04 not a zip", "broken.docx"),
    (b"\\x89PNG\\r\\n\\x1a\\n....", "scan.pdf"),
]
before = set(sys.modules)
for data, name in files:
    try:
        read(data, name, Settings())
    except DocumentError:
        pass
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_the_parsing_child_imports_nothing_the_parent_has_not() -> None:
    # An import in the child takes the import machinery's locks, which another thread of the
    # parent may have held at the fork. A fresh interpreter shows what reading would import.
    run = subprocess.run(
        [sys.executable, "-c", LAZY_IMPORTS_PROBE], capture_output=True, cwd=ROOT, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().split() == []
