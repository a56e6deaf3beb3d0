from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Superusers see every token and may revoke one (set "revoked at"); a token itself is
    never shown: only its first characters and its hash are kept."""

    list_display = ["prefix", "user", "name", "scope", "created_at", "expires_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["user__username", "name", "prefix"]
    fields = ["user", "name", "scope", "prefix", "created_at", "expires_at", "last_used_at",
              "revoked_at"]  # fmt: skip
    readonly_fields = ["user", "prefix", "created_at", "last_used_at", "scope"]

    def has_add_permission(self, request):
        return False  # made with the account page or manage.py api_token, shown once
