from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tangerine.reports"
    label = "reports"

    def ready(self) -> None:
        from tangerine.core.demo import DemoStep, register
        from tangerine.reports import demo, exports, receivers

        register(DemoStep(name="reports", order=45, run=demo.step))
        exports.register()
        receivers.connect()
