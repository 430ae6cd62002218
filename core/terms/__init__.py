"""Key-term extraction: parties, dates, term and renewal, governing law, liability cap, payment."""

from core.terms.extract import extract_terms

__all__ = ["extract_terms"]
