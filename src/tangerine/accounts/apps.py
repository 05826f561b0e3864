from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tangerine.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Registers the account exporter for "download my data".
        from tangerine.accounts import services  # noqa: F401
