from django.apps import AppConfig


class ChatsConfig(AppConfig):
    name = "tangerine.chats"
    label = "chats"

    def ready(self) -> None:
        from tangerine.chats import exports, moderation, receivers

        exports.register()
        moderation.register()
        receivers.connect()
