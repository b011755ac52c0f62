"""Benchmark scripts and the comparison harness (``python -m benchmarks.harness``); never tests."""
