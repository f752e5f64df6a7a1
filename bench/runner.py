"""One benchmark run: stack up, machine limits, every scenario, outputs, stack down.

A scenario that is not runnable yet is listed with its reason; one that fails is listed
with its error. Neither stops the run, and neither produces a figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import time
import traceback
from types import ModuleType

from bench import chart, limits, machine, report
from bench.context import NotReadyError, RunContext
from bench.figures import Figure, Unavailable
from bench.scenarios import all_scenarios
from bench.stack import ServerSetup, Stack


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter runs (< 5 minutes)")
    parser.add_argument("--workers", type=int, default=ServerSetup.workers, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=ServerSetup.threads, help="threads per gunicorn worker"
    )
    parser.add_argument(
        "--skip-checks",
        action="store_true",
        help="skip Django system checks (a tree under construction); shown in the report",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="run only scenarios whose module name matches (repeatable)",
    )
    return parser.parse_args(argv)


def run_scenario(module: ModuleType, ctx: RunContext) -> list[Figure] | Unavailable:
    """The scenario's figures, or why there are none."""
    reason = module.available()
    if reason is not None:
        return Unavailable(module.TITLE, reason)
    started = time.monotonic()
    _log(f"running {module.TITLE}")
    try:
        figures: list[Figure] = module.run(ctx, ctx.quick)
    except NotReadyError as error:
        return Unavailable(module.TITLE, str(error))
    except Exception as error:
        _log(traceback.format_exc(limit=3))
        return Unavailable(module.TITLE, f"failed: {type(error).__name__}: {error}")
    _log(f"  {module.TITLE}: {time.monotonic() - started:.0f} s")
    return figures


def _stop_on_sigterm(signum: int, frame: object) -> None:
    # Turn SIGTERM into an exception so the Stack context manager tears down the server,
    # workers, simulator and database instead of leaving them behind.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    args = parse(sys.argv[1:] if argv is None else argv)
    command = "python -m bench" + (" --quick" if args.quick else "")
    command += " --skip-checks" if args.skip_checks else ""
    command += "".join(f" --only {name}" for name in args.only)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    with Stack(ServerSetup(args.workers, args.threads), skip_checks=args.skip_checks) as stack:
        _log(f"database {stack.db_name}; measuring machine limits")
        connections = args.workers * args.threads
        ctx = RunContext(stack, args.quick, limits.measure_all(stack, args.quick, connections))
        figures: list[Figure] = []
        unavailable: list[Unavailable] = []
        for module in all_scenarios():
            if args.only and not any(name in module.__name__ for name in args.only):
                continue
            outcome = run_scenario(module, ctx)
            if isinstance(outcome, Unavailable):
                unavailable.append(outcome)
            else:
                figures.extend(outcome)
        facts = machine.describe(stack)
    table = report.render_table(figures, unavailable, ctx.limits)
    notes = list(ctx.shared.get("notes", []))
    if notes:
        table += "\n" + "\n".join(f"Note: {note}" for note in notes) + "\n"
    print(table)
    latencies = ctx.shared.get("latencies", {})
    doc = report.document(
        stamp=stamp,
        command=command,
        quick=args.quick,
        machine=facts,
        figures=figures,
        unavailable=unavailable,
        limits=ctx.limits,
        extra={"latencies": latencies, "notes": notes},
    )
    report.write_run(stamp, table, report.render_latest(table, facts, command, stamp), doc)
    chart.draw(report.RESULTS_DIR / f"{stamp}.png", figures, latencies)
    _log(f"results written to {report.RESULTS_DIR}/{stamp}.{{md,json,png}} and latest.md")
    return 0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
