"""Clause typing: the labeller (labeler.py) gives each clause its taxonomy types, using the trained
clause-type model (model.py) for the types it covers and cue patterns for the rest."""
