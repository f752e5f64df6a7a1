from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "relais.vault"
    label = "vault"
    verbose_name = "Relais vault (encryption at rest)"
    default_auto_field = "django.db.models.BigAutoField"
