from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "tangerine.products"
    label = "products"

    def ready(self) -> None:
        from tangerine.core.demo import DemoStep, register

        # Importing exports registers the "download my data" exporter, tracking its hourly
        # popularity sweep.
        from tangerine.products import (
            demo,
            exports,  # noqa: F401
            moderation,
            tracking,  # noqa: F401
        )

        moderation.register()
        from tangerine.follows.hooks import suggestion_signal_register
        from tangerine.products.suggestions import (
            SELLS_WHAT_YOU_LOOKED_AT,
            sells_what_you_looked_at,
        )

        suggestion_signal_register(SELLS_WHAT_YOU_LOOKED_AT, sells_what_you_looked_at)
        register(DemoStep(name="products", order=20, run=demo.step))
