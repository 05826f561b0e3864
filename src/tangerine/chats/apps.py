from django.apps import AppConfig


class ChatsConfig(AppConfig):
    name = "tangerine.chats"
    label = "chats"
