"""The child processes of ``relais demo``: web server, SI-DEP simulator and relay worker.

The simulator serves mutual TLS with a throwaway PKI generated once under the data
directory (``sidep-certs/``); the worker is pointed at it through the same RELAIS_SIDEP_*
variables a production deployment sets for the real platform.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings

from relais.sidep_sim import certs


def demo_processes(
    options: dict[str, Any], base_url: str
) -> list[tuple[list[str], dict[str, str]]]:
    env = dict(os.environ)
    certs_dir = Path(settings.DATA_DIR) / "sidep-certs"
    if not (certs_dir / certs.CLIENT_CERT).is_file():
        certs.init_certs(certs_dir)
    sim_port = str(options["sim_port"])
    serve = ["serve", "--host", options["host"], "--port", str(options["port"]), "--workers", "2"]
    simulator = [
        "sidep-sim",
        "--certs",
        str(certs_dir),
        "--port",
        sim_port,
        "--state",
        str(Path(settings.DATA_DIR) / "sidep-state.sqlite3"),
    ]
    worker_env = env | {
        "RELAIS_SIDEP_URL": f"https://127.0.0.1:{sim_port}",
        "RELAIS_SIDEP_CLIENT_CERT": str(certs_dir / certs.CLIENT_CERT),
        "RELAIS_SIDEP_CLIENT_KEY": str(certs_dir / certs.CLIENT_KEY),
        "RELAIS_SIDEP_CA": str(certs_dir / certs.CA_FILE),
    }
    return [(serve, env), (simulator, env), (["worker"], worker_env)]
