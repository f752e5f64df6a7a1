from django.apps import AppConfig

SEAL_EVERY_SECONDS = 2
RETENTION_EVERY_SECONDS = 24 * 60 * 60


class AuditConfig(AppConfig):
    name = "relais.audit"
    label = "audit"

    def ready(self) -> None:
        """Register the worker jobs and the sealer's alert hook."""
        from relais.audit.alerts import check_sealed_batch
        from relais.audit.jobs import run_retention
        from relais.audit.sealer import BATCH_HOOKS, seal_for_a_while
        from relais.core.jobs import register_job

        if check_sealed_batch not in BATCH_HOOKS:
            BATCH_HOOKS.append(check_sealed_batch)
        register_job("audit.seal", SEAL_EVERY_SECONDS, seal_for_a_while)
        register_job("audit.retention", RETENTION_EVERY_SECONDS, run_retention)
