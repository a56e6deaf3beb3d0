"""Security helpers that the settings name."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address a login attempt came from, for django-axes' lockout by username and address.

    Behind a reverse proxy (BEHIND_PROXY) REMOTE_ADDR is the proxy for everyone, so the last
    X-Forwarded-For entry is used: the one the proxy appended itself, which no client can forge.
    """
    if settings.BEHIND_PROXY:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if hops[-1]:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")
