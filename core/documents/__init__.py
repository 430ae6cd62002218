"""Documents: uploaded bytes and a file name in, normalised text with offsets out."""

from core.documents.loader import SUPPORTED_EXTENSIONS, load
from core.documents.model import LoadedDocument
from core.documents.normalize import normalize

__all__ = ["SUPPORTED_EXTENSIONS", "LoadedDocument", "load", "normalize"]
