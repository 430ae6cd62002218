"""One analysis, from bytes to stored, grounded findings: the run (runner.py) and the only writer
of the analysis it builds (recorder.py), what it streams (events.py), the grounding check every
finding passes (grounding.py, outputs.py), the collaborators it needs (services.py), and what it
reuses or limits across runs (extraction_cache.py, limits.py, samples.py)."""
