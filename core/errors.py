"""One exception hierarchy: every error a user can cause is a ContractAnalyzerError with a
one-line message fit to show as is (CLI and dashboard print `str(err)`, never a traceback)."""

from __future__ import annotations


class ContractAnalyzerError(Exception):
    """Root of all expected errors."""

    kind = "error"


class DocumentError(ContractAnalyzerError):
    kind = "document"


class UnsupportedFileType(DocumentError):
    kind = "unsupported_type"


class EmptyDocument(DocumentError):
    kind = "empty"


class EncryptedDocument(DocumentError):
    kind = "encrypted"


class CorruptDocument(DocumentError):
    kind = "corrupt"


class DocumentTooLarge(DocumentError):
    kind = "too_large"


class NoExtractableText(DocumentError):
    kind = "no_text"


class ParseLimitExceeded(DocumentError):
    """Reading the file took longer, or needed more memory, than a contract ever does."""

    kind = "parse_limit"


class NotAContract(ContractAnalyzerError):
    """The text reads like something other than a contract: nothing is judged."""

    kind = "not_a_contract"


class PlaybookError(ContractAnalyzerError):
    kind = "playbook"


class StoreError(ContractAnalyzerError):
    kind = "store"


class DatabaseBusy(StoreError):
    """Another process holds the database file (DuckDB allows one writer process per file)."""

    kind = "store_busy"


class RateLimited(ContractAnalyzerError):
    kind = "rate_limited"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s

    def __reduce__(self) -> tuple[type[RateLimited], tuple[str, int]]:
        return (type(self), (str(self), self.retry_after_s))


class NotFound(ContractAnalyzerError):
    kind = "not_found"


class SettingsError(ContractAnalyzerError):
    kind = "settings"


class ReviewError(ContractAnalyzerError):
    """A decision that cannot be taken: unknown finding, a dismissal without a reason, …"""
