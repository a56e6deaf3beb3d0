from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from core import converters  # noqa: F401  (registers <id:...>, used by every app's URLs)
from core.forms import LoginForm, PasswordChangeForm

urlpatterns = [
    path(
        "login/",
        login_not_required(
            auth_views.LoginView.as_view(
                template_name="registration/login.html", authentication_form=LoginForm
            )
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
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
    path("admin/", admin.site.urls),
    path("teachers/", include("teachers.urls")),
    path("backbone/", include("backbone.urls")),
    path("records/", include("records.urls")),
    path("assessment/", include("assessment.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("training/", include("training.urls")),
    path("", include("documents.urls")),
    path("", include("home.urls")),
    path("", include("core.urls")),
    path("", include("dataexport.urls")),
]
