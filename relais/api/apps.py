from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "relais.api"
    label = "api"
    verbose_name = "Pharmacy software API"

    def ready(self) -> None:
        from relais.access.actors import SYSTEM
        from relais.api.services import purge_api_records
        from relais.core.jobs import register_job

        register_job("api_records_purge", 3600, lambda: purge_api_records(SYSTEM))
