"""gunicorn embedded as a library, so ``relais serve`` needs no separate configuration file."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from relais.core.forking import release_before_fork


class _RelaisGunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from relais.wsgi import application

        return application


def _before_fork(server: Any, worker: Any) -> None:
    release_before_fork()


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int, trust_proxy: bool = False
) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        # Access logs carry request paths only; Relais never puts personal data in a URL.
        "accesslog": "-",
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
        "errorlog": "-",
        "timeout": 30,
        "graceful_timeout": 20,
        # Recycle workers now and then (a leak cannot grow forever), but not every 20 s
        # under load: at 250 requests/s, 5,000 meant a restart (~1.5 s of CPU, a latency
        # spike) every 40 s on a 2-worker server.
        "max_requests": 100_000,
        "max_requests_jitter": 10_000,
        "limit_request_line": 8190,
        **_forwarded_headers(trust_proxy),
        # The master checked the database and the key provider before serving: every
        # fork (including max_requests restarts) must start without its handles.
        "pre_fork": _before_fork,
    }


def _forwarded_headers(trust_proxy: bool) -> dict[str, Any]:
    """gunicorn believes a local proxy's X-Forwarded-* headers by default; Relais, only when
    the operator declared that proxy trusted (RELAIS_TRUSTED_PROXY_HEADERS), and then only
    X-Forwarded-Proto. Otherwise a client's own header could pass plain HTTP off as HTTPS."""
    if not trust_proxy:
        return {"forwarded_allow_ips": "", "secure_scheme_headers": {}, "forwarder_headers": ""}
    return {"secure_scheme_headers": {"X-FORWARDED-PROTO": "https"}, "forwarder_headers": ""}


def run_gunicorn(
    *, host: str, port: int, workers: int, threads: int, trust_proxy: bool = False
) -> None:
    options = gunicorn_options(
        host=host, port=port, workers=workers, threads=threads, trust_proxy=trust_proxy
    )
    _RelaisGunicorn(options).run()
