"""PDF text extraction with pypdf: page by page, with page offsets, inside safety limits.

Every pypdf failure is turned into a DocumentError here, so callers never see pypdf's exceptions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

from core.documents.messages import page_list
from core.documents.model import Extracted, HiddenSpan
from core.documents.normalize import is_blank
from core.documents.pdf_hidden import HiddenTextTracker
from core.errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    NoExtractableText,
)
from core.settings import Settings

PAGE_SEPARATOR = "\n\n"
# A text page's content stream decompresses to well under a megabyte; pypdf's defaults (75 MB per
# stream, 300 MB of work) let a small hostile file cost gigabytes across many pages.
_STREAM_OUTPUT_LIMIT = 50_000_000
_STREAM_WORK_LIMIT = 150_000_000


@contextmanager
def _pypdf_limits() -> Iterator[None]:
    # apply_configuration sets a context variable, so concurrent loads do not interfere.
    with apply_configuration(
        zlib_maximum_output_length=_STREAM_OUTPUT_LIMIT,
        lzw_maximum_output_length=_STREAM_OUTPUT_LIMIT,
        run_length_maximum_output_length=_STREAM_OUTPUT_LIMIT,
        brotli_maximum_output_length=_STREAM_OUTPUT_LIMIT,
        array_based_stream_maximum_output_length=_STREAM_OUTPUT_LIMIT,
        stream_decoding_work_maximum_length=_STREAM_WORK_LIMIT,
        jbig2dec_binary=None,  # never start an external program on uploaded data
    ):
        yield


def extract_pdf(data: bytes, name: str, settings: Settings) -> Extracted:
    """Text of every page joined by a blank line, with each page's raw start offset."""
    try:
        with _pypdf_limits():
            return _extract(data, name, settings)
    except DocumentError:
        raise
    except (LimitReachedError, MemoryError):
        raise DocumentTooLarge(
            f"{name} contains content that expands beyond the safety limit; "
            "it may be damaged or malicious"
        ) from None
    except (FileNotDecryptedError, DependencyError):
        raise _encrypted(name) from None
    except Exception:  # pypdf raises many types (and KeyError etc.) on broken files
        raise CorruptDocument(
            f"{name} is damaged or not a valid PDF; it could not be read"
        ) from None


def _extract(data: bytes, name: str, settings: Settings) -> Extracted:
    try:
        reader = PdfReader(BytesIO(data), strict=False)
    except NotImplementedError:
        # pypdf's own signal, while opening, for an encryption scheme it does not support
        raise _encrypted(name) from None
    warnings = _open_encrypted(reader, name)
    count = len(reader.pages)
    if count > settings.max_pages:
        raise DocumentTooLarge(f"{name} has {count} pages; the limit is {settings.max_pages}")
    if count == 0:
        raise EmptyDocument(f"{name} has no pages")
    texts, empty, failed, hidden = _page_texts(reader, name, settings)
    if len(failed) == count:
        raise CorruptDocument(f"{name} is damaged; none of its pages could be read")
    if len(empty) + len(failed) == count:
        raise NoExtractableText(
            f"{name} has no extractable text (scanned/image-only?); run OCR first"
        )
    if failed:
        warnings.append(f"{page_list(failed)} could not be read (damaged content)")
    if empty:
        verb = "has" if len(empty) == 1 else "have"
        warnings.append(f"{page_list(empty)} {verb} no extractable text")
    starts: list[int] = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + len(PAGE_SEPARATOR)
    spans = [HiddenSpan(starts[page] + a, starts[page] + b, how) for page, (a, b, how) in hidden]
    return Extracted(
        PAGE_SEPARATOR.join(texts), page_starts=starts, pages=count, warnings=warnings, hidden=spans
    )


def _open_encrypted(reader: PdfReader, name: str) -> list[str]:
    """Open a PDF that is encrypted with an empty user password; refuse any other encryption.

    Many PDFs are "encrypted" only to set permission flags (no copying, no printing) and open
    without a password in every viewer; reading their text for review is what the user expects.
    (PdfReader already tried the empty password; asking again just reports the outcome.)
    """
    if not reader.is_encrypted:
        return []
    if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise _encrypted(name)
    return [f"{name} is encrypted without an open password; its text was read anyway"]


def _encrypted(name: str) -> EncryptedDocument:
    return EncryptedDocument(f"{name} is encrypted; remove the password and upload it again")


def _page_texts(
    reader: PdfReader, name: str, settings: Settings
) -> tuple[list[str], list[int], list[int], list[tuple[int, tuple[int, int, str]]]]:
    """Each page's text ("" if unreadable), the 1-based numbers of empty and failed pages, and
    (page index, span in that page's text) of text drawn invisibly."""
    texts: list[str] = []
    empty: list[int] = []
    failed: list[int] = []
    hidden: list[tuple[int, tuple[int, int, str]]] = []
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        tracker = HiddenTextTracker()
        try:
            text = page.extract_text(
                visitor_operand_before=tracker.operator, visitor_text=tracker.text
            )
        except (LimitReachedError, MemoryError):
            raise
        except Exception:  # one damaged page should not cost the user the other pages
            text = ""
            failed.append(number)
        else:
            if is_blank(text):
                empty.append(number)
            hidden.extend((number - 1, span) for span in tracker.spans_in(text))
        texts.append(text)
        total += len(text)
        # Stop early rather than extract hundreds of pages of a file that will be refused anyway;
        # raw text can exceed the normalised text by its whitespace, hence the margin.
        if total > 2 * settings.max_chars:
            raise DocumentTooLarge(
                f"{name} has more than {settings.max_chars:,} characters of text; "
                f"the limit is {settings.max_chars:,}"
            )
    return texts, empty, failed, hidden
