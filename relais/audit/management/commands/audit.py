"""``relais audit verify | seal | init-key | canary``: the audit log from the operator's shell.

``verify`` exits 0 when the log is intact, 1 naming the first bad position otherwise, 2 when
it cannot run (no verifier key). It prints counts and positions only, never event contents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from relais.audit.checkpoint import CheckpointError
from relais.audit.verification import verify_consistency_with, verify_database
from relais.audit.verify_core import VerificationReport

EXIT_DAMAGED = 1
EXIT_UNUSABLE = 2


class Command(BaseCommand):
    help = "Verify, seal or set up the tamper-evident audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="recompute the Merkle log and check checkpoints")
        verify.add_argument("--verifier-key", default="", help="the published verifier key")
        verify.add_argument(
            "--consistency",
            metavar="OLD_CHECKPOINT_FILE",
            type=Path,
            help="check that this (external) checkpoint is a prefix of today's log",
        )
        verify.add_argument(
            "--checkpoint",
            metavar="FILE",
            type=Path,
            action="append",
            default=[],
            help="an extra signed checkpoint to check the log against (repeatable)",
        )
        sub.add_parser("seal", help="seal pending events now and sign a checkpoint")
        sub.add_parser("init-key", help="create the checkpoint signing key (never replaces one)")
        canary = sub.add_parser("canary", help="register a decoy record (any read alerts)")
        canary.add_argument("--pharmacy", type=int, required=True)
        canary.add_argument("--object-type", default="patient")
        canary.add_argument("--object-id", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {
            "verify": self._verify,
            "seal": self._seal,
            "init-key": self._init_key,
            "canary": self._canary,
        }[options["subcommand"]]
        handler(options)

    def _verifier_key(self, options: dict[str, Any]) -> str:
        from relais.audit.signing import verifier_key

        try:
            return verifier_key(options["verifier_key"])
        except CheckpointError as error:
            self.stderr.write(f"audit verify: no verifier key: {error}")
            raise SystemExit(EXIT_UNUSABLE) from error

    def _verify(self, options: dict[str, Any]) -> None:
        key = self._verifier_key(options)
        if options["consistency"]:
            self._consistency(options["consistency"], key)
            return
        extra = [_read(path) for path in options["checkpoint"]]
        result = verify_database(key, extra)
        for problem in result.checkpoint_problems:
            self.stderr.write(f"checkpoint problem: {problem}")
        if result.report.ok:
            self._print_report(result.report)
        else:
            self._print_failure(result.first_bad_position, result.report.bad_range, result.problem)
            for problem in result.report.problems[1:]:
                self.stderr.write(f"  also: {problem}")
        if result.unsealed_events:
            self.stdout.write(f"{result.unsealed_events} event(s) not sealed yet")
        if not result.ok:
            raise SystemExit(EXIT_DAMAGED)

    def _consistency(self, path: Path, key: str) -> None:
        try:
            report = verify_consistency_with(_read(path), key)
        except CheckpointError as error:
            self.stderr.write(f"audit verify: {error}")
            raise SystemExit(EXIT_DAMAGED) from error
        self._print_report(report)
        if not report.ok:
            raise SystemExit(EXIT_DAMAGED)

    def _print_report(self, report: VerificationReport) -> None:
        if report.ok:
            self.stdout.write(
                f"OK: {report.events_checked} events, {report.checkpoints_checked} checkpoints, "
                f"{report.events_purged} purged, "
                f"{report.events_after_last_checkpoint} after the last checkpoint"
            )
            return
        self._print_failure(report.first_bad_position, report.bad_range, report.problem)

    def _print_failure(
        self, position: int | None, bad_range: tuple[int, int] | None, problem: str
    ) -> None:
        if position is not None:
            where = f"first bad position {position}"
        elif bad_range is not None:
            where = f"bad positions within [{bad_range[0]}, {bad_range[1]})"
        else:
            where = "no position known"
        self.stderr.write(f"FAILED: {where}: {problem}")

    def _seal(self, options: dict[str, Any]) -> None:
        from relais.audit.sealer import seal_pending

        self.stdout.write(f"sealed {seal_pending()} event(s)")

    def _init_key(self, options: dict[str, Any]) -> None:
        from relais.audit.signing import init_signing_key, key_path

        try:
            verifier = init_signing_key()
        except CheckpointError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"signing key written to {key_path()} (mode 0600)")
        self.stdout.write(f"verifier key (publish it to auditors): {verifier}")

    def _canary(self, options: dict[str, Any]) -> None:
        from relais.access.actors import SYSTEM
        from relais.audit.services_upkeep import register_canary

        register_canary(
            SYSTEM,
            pharmacy_id=options["pharmacy"],
            object_type=options["object_type"],
            object_id=options["object_id"],
        )
        self.stdout.write("canary registered")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from error
