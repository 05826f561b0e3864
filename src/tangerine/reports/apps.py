from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tangerine.reports"
    label = "reports"
