from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tangerine.notifications"
    label = "notifications"
