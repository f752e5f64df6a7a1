"""SI-DEP simulator: the national platform's side of the relay, with fault injection.

A separate process (`relais sidep-sim`, or `python -m relais.sidep_sim.cli`), importable
without Django settings. Never run in production.
"""
