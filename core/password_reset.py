"""Password reset by email for local accounts, with Django's own views. Requests are throttled
like the login (django-axes): at most PASSWORD_RESET_LIMIT per PASSWORD_RESET_WINDOW from one
client address, and as many for one email address, counted in the cache. The answer is the same
whether or not an account has the address, and so is the refusal once a limit is reached."""

import hashlib

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.utils.translation import gettext as _

from .forms import TextGuardMixin
from .security import client_ip


class PasswordResetForm(TextGuardMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(TextGuardMixin, auth_forms.SetPasswordForm):
    pass


def _counters(request, email: str) -> list[tuple[str, int]]:
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return [
        (f"password-reset:ip:{client_ip(request)}", settings.PASSWORD_RESET_IP_LIMIT),
        (f"password-reset:email:{address}", settings.PASSWORD_RESET_LIMIT),
    ]


def reset_allowed(request, email: str) -> bool:
    """Count this request; False once either counter is past the limit."""
    window = int(settings.PASSWORD_RESET_WINDOW.total_seconds())
    allowed = True
    for key, limit in _counters(request, email):
        cache.add(key, 0, timeout=window)  # the window starts with the first request
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        allowed = allowed and count <= limit
    return allowed


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        if not reset_allowed(self.request, form.cleaned_data["email"]):
            minutes = int(settings.PASSWORD_RESET_WINDOW.total_seconds() // 60)
            form.add_error(
                None,
                _("Too many reset requests. Try again in %(minutes)d minutes.")
                % {"minutes": minutes},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"
