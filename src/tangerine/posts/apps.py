from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "tangerine.posts"
    label = "posts"
