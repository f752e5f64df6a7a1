from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ScreeningConfig(AppConfig):
    name = "relais.screening"
    label = "screening"
    verbose_name = "Screening records"

    def ready(self) -> None:
        from relais.core.fielderrors import register_messages
        from relais.screening.shipped import load_shipped_value_sets
        from relais.screening.texts import SCREENING_MESSAGES
        from relais.screening.validation.messages import MESSAGES

        post_migrate.connect(load_shipped_value_sets, sender=self)
        register_messages(MESSAGES)
        register_messages(SCREENING_MESSAGES)
