from django.apps import AppConfig

USAGE_EVERY_SECONDS = 10  # one batch of the ledger per run: see ledger.run_usage_job


class BillingConfig(AppConfig):
    name = "relais.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        """Register the worker job that writes newly settled transmissions to the ledger."""
        from relais.billing.ledger import run_usage_job
        from relais.core.jobs import register_job

        register_job("billing.record_usage", USAGE_EVERY_SECONDS, run_usage_job)
