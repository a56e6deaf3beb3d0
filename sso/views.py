from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from .backends import REFUSAL_KEY
from .protocols import BACKENDS, CAS, OIDC, enabled
from .refusals import refusal_text


def _needs(protocol: str):
    if not enabled(protocol):
        raise Http404


class LoginView(auth_views.LoginView):
    """The login form (Gugan password, and the directory password when LDAP is on): a person
    the directory knows but Gugan does not is sent to the page that says whom to ask."""

    def get_context_data(self, **kwargs):
        # With password login off only superusers use a Gugan password: a reset leads nowhere
        # for anyone else, so the page does not offer it (superusers: manage.py changepassword).
        return super().get_context_data(password_reset_offered=settings.PASSWORD_LOGIN, **kwargs)

    def post(self, request, *args, **kwargs):
        request.session.pop(REFUSAL_KEY, None)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if REFUSAL_KEY in self.request.session:
            return redirect("sso_refused")
        return super().form_invalid(form)


@login_not_required
def refused(request):
    """Signed in at the identity service, but no Gugan login to go with it."""
    refusal = request.session.pop(REFUSAL_KEY, None) or {"reason": "failed"}
    title, explanation = refusal_text(refusal["reason"])
    context = {
        "title": title,
        "explanation": explanation,
        "value": refusal.get("value", ""),
        "contact": settings.SSO_HELP_CONTACT,
    }
    return render(request, "sso/refused.html", context, status=403)


def _cas_view():
    from django_cas_ng.views import LoginView as CASLoginView

    class View(CASLoginView):
        def get(self, request):
            _needs(CAS)
            try:
                return super().get(request)
            except PermissionDenied:  # the ticket checked out, the person did not
                return redirect("sso_refused")

    return View.as_view()


@csrf_exempt  # the CAS server posts its single-logout requests here
@login_not_required
def cas_login(request):
    _needs(CAS)
    next_url = request.GET.get("next", "")
    if next_url and not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("sso_cas_login")  # somewhere else: the home page instead
    return _cas_view()(request)


class LogoutView(auth_views.LogoutView):
    """Log out of Gugan, and of the identity service where its protocol allows it: CAS always
    (CAS_LOGOUT_COMPLETELY), OpenID Connect when the provider's OIDC_LOGOUT_ENDPOINT is set."""

    def post(self, request, *args, **kwargs):
        response = self._log_out(request, *args, **kwargs)
        # A shared phone keeps nothing of this teacher: kept pages and the offline outbox.
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    def _log_out(self, request, *args, **kwargs):
        protocol = BACKENDS.get(request.session.get(BACKEND_SESSION_KEY, ""))
        id_token = request.session.get("oidc_id_token", "")
        response = super().post(request, *args, **kwargs)
        back = request.build_absolute_uri(reverse("login"))
        if protocol == CAS and enabled(CAS) and settings.CAS_LOGOUT_COMPLETELY:
            from django_cas_ng.utils import get_cas_client

            return redirect(get_cas_client(request=request).get_logout_url(redirect_url=back))
        if protocol == OIDC and enabled(OIDC) and settings.OIDC_OP_LOGOUT_ENDPOINT:
            query = {"post_logout_redirect_uri": back, "client_id": settings.OIDC_RP_CLIENT_ID}
            if id_token:
                query["id_token_hint"] = id_token
            return redirect(f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(query)}")
        return response


@login_not_required
def oidc_authenticate(request):
    _needs(OIDC)
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    return OIDCAuthenticationRequestView.as_view()(request)


@login_not_required
def oidc_callback(request):
    _needs(OIDC)
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

    return OIDCAuthenticationCallbackView.as_view()(request)
