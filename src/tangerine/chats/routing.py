from django.urls import URLPattern, path

from tangerine.chats.consumers import ChatConsumer

# WebSocket routes, mounted under the ASGI router with origin checks (config/asgi.py).
websocket_urlpatterns: list[URLPattern] = [
    path("ws/chat/", ChatConsumer.as_asgi()),
]
