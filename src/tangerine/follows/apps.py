from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "tangerine.follows"
    label = "follows"

    def ready(self) -> None:
        from tangerine.follows import receivers

        receivers.connect()
