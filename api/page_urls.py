from django.urls import path

from .views import account, bureau

urlpatterns = [
    path("account/tokens/", account.tokens, name="api_tokens"),
    path("account/tokens/<id:pk>/revoke/", account.token_revoke_view, name="api_token_revoke"),
    path("training/bureau-hours/", bureau.bureau_hours_import_page, name="bureau_hours_import"),
]
