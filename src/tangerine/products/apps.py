from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "tangerine.products"
    label = "products"

    def ready(self) -> None:
        # Registers the "download my data" exporter.
        from tangerine.products import exports  # noqa: F401
