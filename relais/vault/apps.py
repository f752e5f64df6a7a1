from django.apps import AppConfig

from relais.core.startup import register_startup_check
from relais.vault.checks import check_key_provider


class VaultConfig(AppConfig):
    name = "relais.vault"
    label = "vault"
    verbose_name = "Relais vault (encryption at rest)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Long-lived processes refuse to start on a key provider that cannot protect data."""
        register_startup_check(check_key_provider)
