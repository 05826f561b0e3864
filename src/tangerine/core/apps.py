from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tangerine.core"
    label = "core"
