"""Renderings of one analysis: the terminal report and Markdown memo (render.py), CSV and JSON
downloads (exports.py)."""
