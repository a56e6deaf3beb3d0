"""Benchmarks: the large dataset (`manage.py seed_bench`) and the timing scripts."""
