"""Documents: uploaded bytes and a file name in, normalised text with offsets out."""

from core.documents.loader import SUPPORTED_EXTENSIONS, read
from core.documents.model import LoadedDocument
from core.documents.normalize import normalize
from core.documents.sandbox import load

__all__ = ["SUPPORTED_EXTENSIONS", "LoadedDocument", "load", "normalize", "read"]
