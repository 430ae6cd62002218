"""The redlined Word document: accepted findings as tracked changes and comments."""
