from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from core import (
    converters,  # noqa: F401  (registers <id:...>, used by every app's URLs)
    password_reset,
)
from core.forms import LoginForm, PasswordChangeForm
from sso import views as sso_views

urlpatterns = [
    path(
        "login/",
        login_not_required(
            sso_views.LoginView.as_view(
                template_name="registration/login.html", authentication_form=LoginForm
            )
        ),
        name="login",
    ),
    path("logout/", sso_views.LogoutView.as_view(), name="logout"),
    path("sso/", include("sso.urls")),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/password_change.html", form_class=PasswordChangeForm
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("password/reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("teachers/", include("teachers.urls")),
    path("backbone/", include("backbone.urls")),
    path("records/", include("records.urls")),
    path("assessment/", include("assessment.urls")),
    path("honours/", include("honours.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("training/", include("training.urls")),
    path("groups/", include("groups.urls")),
    path("api/", include("api.urls")),
    path("", include("api.page_urls")),
    path("contests/", include("contests.urls")),
    path("recognition/", include("recognition.urls")),
    path("", include("documents.urls")),
    path("", include("home.urls")),
    path("", include("core.urls")),
    path("", include("dataexport.urls")),
]
