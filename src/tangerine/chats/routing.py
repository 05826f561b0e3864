from django.urls import URLPattern

# WebSocket routes, mounted under the ASGI router with origin checks (config/asgi.py).
websocket_urlpatterns: list[URLPattern] = []
