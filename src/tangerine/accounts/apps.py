from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tangerine.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Importing these registers the "download my data" exporter (services) and the OpenAPI
        # description of our bearer authentication (schema).
        from tangerine.accounts import demo, moderation, schema, services  # noqa: F401
        from tangerine.core.demo import DemoStep, register

        moderation.register()
        register(DemoStep(name="users", order=10, run=demo.seed))
