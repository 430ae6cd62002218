"""The command line, `python -m core`: the parser and entry point (main.py), one module per
command, and the output helpers they share (output.py)."""
