from django.urls import URLPattern, URLResolver, path

from tangerine.chats import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("chats/rooms/", views.RoomListCreateView.as_view(), name="chat-rooms"),
    path("chats/rooms/<str:uuid>/", views.RoomDetailView.as_view(), name="chat-room"),
    path("chats/rooms/<str:uuid>/members/", views.RoomMembersView.as_view(), name="chat-members"),
    path("chats/rooms/<str:uuid>/leave/", views.RoomLeaveView.as_view(), name="chat-leave"),
    path("chats/rooms/<str:uuid>/read/", views.RoomReadView.as_view(), name="chat-read"),
    path(
        "chats/rooms/<str:uuid>/messages/",
        views.RoomMessagesView.as_view(),
        name="chat-messages",
    ),
    path(
        "chats/rooms/<str:uuid>/messages/<str:message>/",
        views.MessageDetailView.as_view(),
        name="chat-message",
    ),
    # Above the products app in the layers: a room can be about a product.
    path("products/<str:uuid>/chat/", views.ProductChatView.as_view(), name="product-chat"),
    path("chats/ws-ticket/", views.WsTicketView.as_view(), name="chat-ws-ticket"),
]
