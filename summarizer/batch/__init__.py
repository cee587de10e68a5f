"""Corpus processing on top of the pipeline (batch runner, inputs, sinks, dedup)."""
