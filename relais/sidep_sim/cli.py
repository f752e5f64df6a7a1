"""`relais sidep-sim` without Django: argparse front end of the simulator.

Prints one line "sidep-sim listening on <url>" on stdout once it serves, so a test or a
script that asked for port 0 learns the port.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from relais.sidep_sim.certs import init_certs
from relais.sidep_sim.faults import FaultConfig, FaultConfigError
from relais.sidep_sim.server import RunningSimulator, run_simulator


def build_parser() -> argparse.ArgumentParser:
    """The simulator's command-line options."""
    parser = argparse.ArgumentParser(prog="sidep-sim", description="SI-DEP simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8443, help="0 picks a free port")
    parser.add_argument("--certs", type=Path, help="serve mutual TLS with this directory")
    parser.add_argument("--init-certs", type=Path, help="create a throwaway PKI and exit")
    parser.add_argument("--state", type=Path, help="SQLite file keeping dedup across restarts")
    parser.add_argument("--seed", type=int, help="seed of the fault dice")
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--retry-after", type=int, help="Retry-After of simulated errors")
    parser.add_argument("--timeout-rate", type=float, default=0.0)
    parser.add_argument("--timeout-seconds", type=float, default=30.0)
    parser.add_argument("--drop-rate", type=float, default=0.0)
    parser.add_argument("--fail-after-store", type=float, default=0.0)
    parser.add_argument("--reject-rate", type=float, default=0.0)
    parser.add_argument("--outage-seconds", type=float, help="full outage from start-up")
    parser.add_argument("--ack-delay-ms", type=int, default=0)
    return parser


def faults_from(args: argparse.Namespace) -> FaultConfig:
    """The fault configuration the options describe."""
    config = FaultConfig(
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        retry_after_seconds=args.retry_after,
        timeout_rate=args.timeout_rate,
        timeout_seconds=args.timeout_seconds,
        drop_rate=args.drop_rate,
        fail_after_store=args.fail_after_store,
        reject_rate=args.reject_rate,
        ack_delay_ms=args.ack_delay_ms,
    )
    if args.outage_seconds is not None:
        config = config.updated({"outage_seconds": args.outage_seconds})
    return config


def _announce(simulator: RunningSimulator) -> None:
    sys.stdout.write(f"sidep-sim listening on {simulator.base_url}\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    """Run the simulator (or create certificates); returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.init_certs is not None:
        init_certs(args.init_certs)
        sys.stdout.write(f"certificates written to {args.init_certs}\n")
        return 0
    try:
        faults = faults_from(args)
    except FaultConfigError as error:
        parser.error(str(error))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    run_simulator(
        args.host, args.port, args.certs, faults, args.state, seed=args.seed, on_ready=_announce
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
