from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ScreeningConfig(AppConfig):
    name = "relais.screening"
    label = "screening"
    verbose_name = "Screening records"

    def ready(self) -> None:
        from relais.screening.shipped import load_shipped_value_sets

        post_migrate.connect(load_shipped_value_sets, sender=self)
