from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from tangerine.accounts.models import Block, Mute, SocialAccount, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("-created_at",)
    list_display = ("handle", "email", "display_name", "is_staff", "is_active", "suspended_at")
    list_filter = ("is_staff", "is_active", "is_superuser")
    search_fields = ("handle", "email", "display_name")
    readonly_fields = ("uuid", "created_at", "updated_at", "follower_count", "following_count")
    fieldsets = (
        (None, {"fields": ("uuid", "email", "handle", "password")}),
        ("Profile", {"fields": ("display_name", "bio", "link_1", "link_2", "profile_image")}),
        ("Counters", {"fields": ("follower_count", "following_count")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "suspended_at", "groups")},
        ),
        ("Dates", {"fields": ("last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "handle", "password1", "password2")}),
    )
    raw_id_fields = ("profile_image",)


admin.site.register(SocialAccount)
admin.site.register(Block)
admin.site.register(Mute)
