from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tangerine.reports"
    label = "reports"

    def ready(self) -> None:
        from tangerine.reports import exports

        exports.register()
