from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "relais.accounts"
    label = "accounts"

    def ready(self) -> None:
        from relais.accounts import receivers, secret_keys

        del receivers  # connected on import
        secret_keys.register()
