from django.apps import AppConfig


class ChatsConfig(AppConfig):
    name = "tangerine.chats"
    label = "chats"

    def ready(self) -> None:
        from tangerine.chats import demo, exports, moderation, receivers
        from tangerine.core.demo import DemoStep, register

        register(DemoStep(name="chats", order=35, run=demo.step))
        exports.register()
        moderation.register()
        receivers.connect()
        # A seller's insights count the chats buyers opened about their products.
        from tangerine.chats.selectors import product_rooms_by_day
        from tangerine.products import insights

        insights.chat_counter_register(product_rooms_by_day)
