from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "tangerine.posts"
    label = "posts"

    def ready(self) -> None:
        from tangerine.core.demo import DemoStep, register
        from tangerine.posts import demo, exports, moderation, receivers

        exports.register()
        receivers.connect()
        moderation.register()
        register(DemoStep(name="posts", order=30, run=demo.step))
