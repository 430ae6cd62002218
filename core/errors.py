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


class PlaybookError(ContractAnalyzerError):
    kind = "playbook"


class StoreError(ContractAnalyzerError):
    kind = "store"


class NotFound(ContractAnalyzerError):
    kind = "not_found"


class SettingsError(ContractAnalyzerError):
    kind = "settings"
