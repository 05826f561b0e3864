from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "tangerine.follows"
    label = "follows"
