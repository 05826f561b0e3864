from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "tangerine.images"
    label = "images"
