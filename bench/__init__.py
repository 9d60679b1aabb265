"""Benchmark scenarios behind `omni bench`."""
