from django.contrib import admin

from .models import Link


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    """Logins made by SSO_ROLE_MAP and the value that finds them; deleting a link makes the
    next sign-in with that value match the roster again."""

    list_display = ["value", "field", "user", "created_at"]
    list_filter = ["field"]
    search_fields = ["value", "user__username", "user__display_name"]
    raw_id_fields = ["user"]
