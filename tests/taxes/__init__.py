"""Tests of the tax engine: table-driven cases and Hypothesis properties."""
