"""Relais benchmarks: one command measuring Relais beside the machine's own limits.

Run ``python -m bench [--quick]`` (``make bench`` / ``make bench-quick``); see README.md.
"""
