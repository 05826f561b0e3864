from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tangerine.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Registers the account exporter for "download my data".
        # Registers the OpenAPI description of our bearer authentication.
        from tangerine.accounts import schema, services  # noqa: F401
