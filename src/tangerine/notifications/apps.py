from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tangerine.notifications"
    label = "notifications"

    def ready(self) -> None:
        from tangerine.notifications import exports

        exports.register()
