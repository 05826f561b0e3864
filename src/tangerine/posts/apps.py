from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "tangerine.posts"
    label = "posts"

    def ready(self) -> None:
        from tangerine.posts import exports

        exports.register()
