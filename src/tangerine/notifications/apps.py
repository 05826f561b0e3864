from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tangerine.notifications"
    label = "notifications"

    def ready(self) -> None:
        from tangerine.core.demo import DemoStep, register
        from tangerine.notifications import demo, exports, receivers

        exports.register()
        receivers.connect()
        register(
            DemoStep(
                name="notifications",
                order=40,
                run=lambda ctx: demo.seed(users=ctx.users, rng=ctx.rng),
            )
        )
