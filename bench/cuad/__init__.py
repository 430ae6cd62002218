"""CUAD evaluation harness: gold loading, scoring and key-term normalisation.

Everything here reads CUAD-format rows at run time from `../shared/eval/`; nothing derived from
them is stored in the project except our own scores (bench/cuad_baseline.json)."""
