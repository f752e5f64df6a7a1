"""Child processes of the benchmark: each in its own process group, always torn down.

Every long-lived process (gunicorn, workers, simulator, load generator) is started through
:class:`Processes`, which kills whole process groups (gunicorn forks its workers) on exit,
whether the run succeeded or not.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType


class ProcessFailedError(RuntimeError):
    """A child exited early or did not become ready in time."""


class Processes:
    """Owns the benchmark's child processes; a context manager that kills them all."""

    def __init__(self, log_dir: Path, env: dict[str, str]) -> None:
        self.log_dir = log_dir
        self.env = env
        self._children: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        """Start ``argv`` in a new session, output to ``<log_dir>/<name>.log``."""
        log = (self.log_dir / f"{name}.log").open("ab")
        child = subprocess.Popen(
            argv, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self._children.append(child)
        return child

    def run(self, name: str, argv: list[str], timeout: float = 300) -> str:
        """Run a command to completion; its stdout, or an error naming its log."""
        log_path = self.log_dir / f"{name}.log"
        result = subprocess.run(
            argv, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        log_path.write_text(result.stdout + result.stderr)
        if result.returncode != 0:
            raise ProcessFailedError(
                f"{name} exited with {result.returncode}: {_last_error(result.stderr)}"
            )
        return result.stdout

    def stop(self, child: subprocess.Popen[bytes], grace: float = 5.0) -> None:
        """SIGTERM the child's group, then SIGKILL it if it lingers."""
        if child.poll() is None:
            _signal_group(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _signal_group(child.pid, signal.SIGKILL)
                child.wait(timeout=grace)
        # Forked grandchildren (gunicorn workers) may outlive their parent: sweep the group.
        _signal_group(child.pid, signal.SIGKILL)
        if child in self._children:
            self._children.remove(child)

    def stop_all(self) -> None:
        for child in reversed(list(self._children)):
            self.stop(child)

    def __enter__(self) -> Processes:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop_all()

    def log_tail(self, name: str, lines: int = 5) -> str:
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _last_error(output: str) -> str:
    """The most telling line of a failure: the exception line, else the last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if "ERRORS:" in lines:  # Django system checks: the first error says what to fix
        return " ".join(lines[lines.index("ERRORS:") : lines.index("ERRORS:") + 2])[:300]
    errors = [line for line in lines if "Error" in line or line.startswith("relais:")]
    return (errors or lines or ["no output"])[-1][:300]


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(
    child: subprocess.Popen[bytes], port: int, timeout: float, name: str = "process"
) -> None:
    """Wait until ``port`` accepts connections, failing fast if the child dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise ProcessFailedError(f"{name} exited with {child.returncode} before listening")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise ProcessFailedError(f"{name} did not listen on port {port} within {timeout:.0f} s")
