from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "tangerine.products"
    label = "products"
