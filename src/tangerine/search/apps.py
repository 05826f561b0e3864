from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tangerine.search"
    label = "search"
