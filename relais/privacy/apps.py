from django.apps import AppConfig
from django.core.checks import register

from relais.privacy.checks import SYSTEM_CHECKS, TAG

PURGE_EVERY_SECONDS = 3600


class PrivacyConfig(AppConfig):
    name = "relais.privacy"
    label = "privacy"
    verbose_name = "Privacy: retention, purge, data-subject requests"

    def ready(self) -> None:
        """Register the system checks, the retention guard on crypto-shredding, the hourly
        purge job and the texts of the privacy error codes."""
        from relais.core.fielderrors import register_messages
        from relais.core.jobs import register_job
        from relais.privacy.runner import run_retention_job
        from relais.privacy.shredding import retention_guard
        from relais.privacy.texts import PRIVACY_MESSAGES
        from relais.vault.keyops import register_destroy_guard

        for check in SYSTEM_CHECKS:
            register(check, TAG)
        register_destroy_guard(retention_guard)
        register_job("privacy.purge", PURGE_EVERY_SECONDS, run_retention_job)
        register_messages(PRIVACY_MESSAGES)
