from django.urls import path

from . import views

urlpatterns = [
    path("refused/", views.refused, name="sso_refused"),
    path("cas/login/", views.cas_login, name="sso_cas_login"),
    # The names mozilla-django-oidc reverses itself.
    path("oidc/authenticate/", views.oidc_authenticate, name="oidc_authentication_init"),
    path("oidc/callback/", views.oidc_callback, name="oidc_authentication_callback"),
]
