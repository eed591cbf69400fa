"""Benchmarks and fault tests of Jejak: each figure beside its baseline from the same run."""
