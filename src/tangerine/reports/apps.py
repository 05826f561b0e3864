from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tangerine.reports"
    label = "reports"

    def ready(self) -> None:
        from tangerine.reports import exports, receivers

        exports.register()
        receivers.connect()
