"""Benchmark scripts: each prints figures, none asserts timings."""
