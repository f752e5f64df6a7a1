"""What the API scenarios share: the server, an API key, a probe, and the load generator.

Contract used (issue 8): base ``/api/v1``; ``POST /screenings`` (201) and
``POST /screenings/batch``; ``Authorization: Bearer <key>`` with the key from
``relais demo-data --json`` (``pharmacies[].api_key``). A probe request must succeed before
any load is sent, so a broken endpoint is reported as such rather than timed.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.context import NotReadyError, RunContext
from bench.loadgen import count_created
from bench.payloads import DEFAULT_DEVICE_ID, submission
from bench.scenarios._available import RELAIS_ROOT, first, missing_module

API = "/api/v1"


@dataclass(frozen=True)
class ApiTarget:
    base_url: str
    key_file: Path
    api_key: str
    device_id: str
    pharmacy_id: int

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


def api_unavailable() -> str | None:
    """None once the API package exists and ``relais/urls.py`` routes ``api/v1``."""
    return first(missing_module("relais.api"), missing_module("ninja"), _unrouted())


def _unrouted() -> str | None:
    urls = RELAIS_ROOT / "urls.py"
    text = urls.read_text(encoding="utf-8") if urls.is_file() else ""
    return None if "api/v1" in text or "relais.api" in text else "relais.urls routes no api/v1 yet"


def target(ctx: RunContext) -> ApiTarget:
    """Start the server once and find a pharmacy's API key; cached in ``ctx.shared``."""
    cached = ctx.shared.get("api_target")
    if isinstance(cached, ApiTarget):
        return cached
    pharmacy = ctx.stack.demo_data()["pharmacies"][0]
    if not pharmacy.get("api_key"):
        raise NotReadyError("relais demo-data --json gives no pharmacies[].api_key yet")
    key_file = ctx.stack.tmp / "api-key"
    key_file.write_text(pharmacy["api_key"])
    key_file.chmod(0o600)
    base_url = ctx.stack.base_url()
    found = ApiTarget(base_url, key_file, pharmacy["api_key"], "", int(pharmacy["id"]))
    found = ApiTarget(**{**found.__dict__, "device_id": _device_id(found)})
    ctx.shared["api_target"] = found
    return found


def _device_id(api: ApiTarget) -> str:
    """A device the server accepts: the demo default when the value set lists it."""
    response = httpx.get(f"{api.base_url}{API}/valuesets/devices", headers=api.headers())
    if response.status_code == 200 and DEFAULT_DEVICE_ID in response.text:
        return DEFAULT_DEVICE_ID
    codes = _codes(response.json()) if response.status_code == 200 else []
    return codes[0] if codes else DEFAULT_DEVICE_ID


def _codes(document: Any) -> list[str]:
    items = document.get("items", []) if isinstance(document, dict) else document
    if not isinstance(items, list):
        return []
    keys = ("id", "code", "device_id")
    return [str(i[k]) for i in items if isinstance(i, dict) for k in keys if k in i][:1]


def next_indexes(ctx: RunContext, count: int) -> int:
    """Reserve ``count`` person indexes so that no two scenarios submit the same person."""
    start = int(ctx.shared.get("next_index", 0))
    ctx.shared["next_index"] = start + count
    return start


def probe(ctx: RunContext, api: ApiTarget, batch_size: int = 0) -> None:
    """One real request; raises with the status and problem title when it is refused."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    start = next_indexes(ctx, max(batch_size, 1))
    items = [submission(start + i, api.device_id, now) for i in range(max(batch_size, 1))]
    path = "/screenings/batch" if batch_size else "/screenings"
    body: Any = {"items": items} if batch_size else items[0]
    response = httpx.post(
        f"{api.base_url}{API}{path}", json=body, headers=api.headers(), timeout=30
    )
    if response.status_code not in {200, 201, 207}:
        title = _problem_title(response)
        raise RuntimeError(f"probe POST {API}{path} answered {response.status_code} {title}")
    if batch_size and count_created(response.json()) != batch_size:
        raise RuntimeError(f"probe batch: per-item 'created' outcomes not found for {path}")
    ctx.shared["records_submitted"] = ctx.shared.get("records_submitted", 0) + len(items)


def _problem_title(response: httpx.Response) -> str:
    try:
        document = response.json()
    except ValueError:
        return ""
    return str(document.get("title", "")) if isinstance(document, dict) else ""


def load(
    ctx: RunContext,
    api: ApiTarget,
    *,
    mode: str,
    seconds: float,
    batch_size: int = 0,
    concurrency: int = 8,
    rate: float = 100.0,
    during: Callable[[], None] | None = None,
    get: str = "",
) -> dict[str, Any]:
    """Run the load generator in its own process (``during`` runs meanwhile); its report."""
    path = "/screenings/batch" if batch_size else "/screenings"
    first_index = next_indexes(ctx, 10_000_000)
    argv = [
        sys.executable,
        "-m",
        "bench.loadgen",
        "--url",
        f"{api.base_url}{API}{path}",
        "--key-file",
        str(api.key_file),
        "--device-id",
        api.device_id,
        "--mode",
        mode,
        "--seconds",
        str(seconds),
        "--batch-size",
        str(batch_size),
        "--concurrency",
        str(concurrency),
        "--rate",
        str(rate),
        "--first-index",
        str(first_index),
        *(["--get", get] if get else []),
    ]
    child = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        start_new_session=True,
    )
    try:
        if during is not None:
            during()
        stdout, stderr = child.communicate(timeout=seconds + 120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    if child.returncode != 0:
        raise RuntimeError(f"load generator failed: {stderr.strip()[-300:]}")
    report: dict[str, Any] = json.loads(stdout)
    ctx.shared["records_submitted"] = (
        ctx.shared.get("records_submitted", 0) + report["records_created"]
    )
    return report


def errors_note(report: dict[str, Any]) -> str:
    """'' when every request succeeded; else the status counts (no bodies)."""
    failed = {k: v for k, v in report["statuses"].items() if k not in {"200", "201", "207"}}
    return f"non-2xx: {failed}" if failed else ""
