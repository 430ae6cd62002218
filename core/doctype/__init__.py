"""What the document is before anything is judged: a contract or not, and which kind."""
