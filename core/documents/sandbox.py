"""Reading an uploaded file in a forked child process that a hostile file cannot escape:
the child runs under an address-space limit (RLIMIT_AS) and a CPU limit (RLIMIT_CPU), and the
parent kills it at a wall-clock deadline. Whatever happens in the child (a decompression bomb,
a parser stuck in a loop, a crash), the parent gets a LoadedDocument or a DocumentError.

A plain fork rather than multiprocessing: multiprocessing's spawn and forkserver children
re-import the launching script (for the dashboard, Streamlit's), which costs a second per file;
a fork costs milliseconds. The child only parses and writes one pickle, then `os._exit`s.

Forking a multi-threaded process (the dashboard always is) is safe only if the child takes no
lock another thread might have held at the fork: only the forking thread exists in the child.
So everything the readers import or look up lazily is imported here, in the parent; the child
switches logging and warnings off (their handlers write to shared streams) and writes only to
its own pipe. Should a library lock hang it anyway, the deadline still ends it.
"""

from __future__ import annotations

import codecs
import importlib
import logging
import os
import pickle
import resource
import select
import signal
import threading
import time
import warnings
from pathlib import Path

from core.documents.loader import needs_a_parser, read
from core.documents.messages import display_name
from core.documents.model import LoadedDocument
from core.errors import CorruptDocument, DocumentError, ParseLimitExceeded
from core.settings import Settings

_CHUNK = 1 << 20
# What the readers would otherwise import on first use, in the child (found by reading every
# kind of file in a fresh interpreter; tests/test_limits.py checks nothing is left).
_LAZY_MODULES = ("pypdf.filters", "pypdf._codecs._codecs")
_LAZY_CODECS = ("cp437", "cp1252", "latin-1", "utf-8-sig", "utf-16")  # zip names, plain text
# Python 3.12+ warns on every fork of a multi-threaded process (see the module docstring for
# why this child is safe); the text is CPython's, Modules/posixmodule.c.
_FORK_WARNING = r"This process \(pid=\d+\) is multi-threaded, use of fork\(\)"
_FORK_LOCK = threading.Lock()


_PRELOADED = threading.Event()


def preload() -> None:
    """Import in this process, once, everything the parsing child would import: an import in
    the child takes the import machinery's locks, which another thread of the parent may have
    held at the fork. Done before the first fork rather than at import, so that reading a text
    contract (and every command-line call) does not pay ~0.5 s for pypdf and python-docx."""
    if _PRELOADED.is_set():
        return
    for module in ("core.documents.pdf", "core.documents.word", *_LAZY_MODULES):
        importlib.import_module(module)
    for codec in _LAZY_CODECS:
        codecs.lookup(codec)
    _PRELOADED.set()


def load(data: bytes, filename: str, settings: Settings) -> LoadedDocument:
    """Read a contract file; raises a DocumentError with a one-line, user-ready message.
    PDF and Word files are parsed in the limited child. Plain text within the character limit
    is decoded here: forking a process holding the model costs ~27 ms and the child would
    protect no parser; longer text (refused after decoding) still goes to the child, whose
    memory limit bounds the decoding and normalising of what may be many megabytes."""
    in_process = not needs_a_parser(data) and len(data) <= settings.max_chars
    if not settings.parse_isolated or not hasattr(os, "fork") or in_process:
        return read(data, filename, settings)
    preload()
    r, w = os.pipe()
    pid = _fork()
    if pid == 0:  # the child: never returns
        os.close(r)
        _child(w, data, filename, settings)
    os.close(w)
    try:
        payload, timed_out = _read_until(r, time.monotonic() + settings.parse_timeout_s)
    finally:
        os.close(r)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    name = display_name(filename)
    if timed_out or _signal_of(status) in (signal.SIGXCPU, signal.SIGKILL):
        raise ParseLimitExceeded(
            f"{name} took longer than {settings.parse_timeout_s:g} s to read; "
            "it may be damaged or malicious"
        )
    if not payload:
        raise CorruptDocument(f"{name} could not be read (the reader crashed on it)")
    outcome, value = pickle.loads(payload)
    if outcome == "error":
        raise value
    if not isinstance(value, LoadedDocument):
        raise CorruptDocument(f"{name} could not be read (the reader returned nothing usable)")
    return value


def _fork() -> int:
    """os.fork() without Python 3.12+'s multi-threaded-fork DeprecationWarning, which a warnings
    filter of "error" would raise in the parent after the child already exists. The lock keeps
    two uploads from interleaving catch_warnings, which swaps one process-wide filter list."""
    with _FORK_LOCK, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_FORK_WARNING, category=DeprecationWarning)
        return os.fork()


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Everything the child writes, or (what came so far, True) when the deadline passes."""
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"".join(chunks), True
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, _CHUNK)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _child(fd: int, data: bytes, filename: str, settings: Settings) -> None:
    code = 0
    try:
        # Both write to streams whose locks another parent thread may have held at the fork.
        logging.disable(logging.CRITICAL)
        warnings.simplefilter("ignore")
        _limit(settings)
        try:
            result: tuple[str, object] = ("ok", read(data, filename, settings))
        except DocumentError as exc:
            result = ("error", exc)
        except MemoryError:
            result = ("error", _too_big(filename, settings))
        except Exception:  # a reader bug on a broken file: the user gets a clear message
            result = ("error", CorruptDocument(f"{display_name(filename)} could not be read"))
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _limit(settings: Settings) -> None:
    cpu = int(settings.parse_timeout_s) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    current = _address_space()
    if current is not None:
        cap = current + settings.parse_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), or None where unknown."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _too_big(filename: str, settings: Settings) -> ParseLimitExceeded:
    return ParseLimitExceeded(
        f"{display_name(filename)} needs more than {settings.parse_memory_mb:,} MB of memory "
        "to read; it may be damaged or malicious"
    )


def _signal_of(status: int) -> int | None:
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
