from django.apps import AppConfig

from relais.access.actors import SYSTEM
from relais.core.jobs import register_job


class ApiConfig(AppConfig):
    name = "relais.api"
    label = "api"
    verbose_name = "Pharmacy software API"

    def ready(self) -> None:
        """Register the edge's per-key rate limiter and the hourly purge of API records."""
        # Both modules use models, which exist only once the app registry is ready.
        from relais.api.ratelimit import hit
        from relais.api.services import purge_api_records
        from relais.http.api_gate import register_key_limiter

        register_key_limiter(hit)
        register_job("api_records_purge", 3600, lambda: purge_api_records(SYSTEM))
