"""The installable app: the service worker at the site root, the web app manifest, and the page
listing the outbox (forms queued on the phone while the network was down)."""

import contextlib
import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

# Static files the phone keeps for offline use (the shell of the pages).
SHELL_ASSETS = [
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/htmx/htmx.min.js",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/idb/umd.js",
    "css/gugan.css",
    "js/gugan.js",
    "js/offline/outbox.js",
    "js/offline/signin.js",
    "js/offline/photos.js",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
]
# Pages a teacher uses on the move: kept for offline navigation once visited.
SHELL_PAGES = [
    "home",
    "records:observations_quick",
    "records:growth",
    "training:mine",
    "training:signin",
    "outbox",
]


def _urls(names: list[str]) -> list[str]:
    out = []
    for name in names:
        with contextlib.suppress(NoReverseMatch):
            out.append(reverse(name))
    return out


def _evaluate_pattern() -> list[str]:
    """The open-class evaluation form, whatever the class: a regular expression for the SW."""
    try:
        sample = reverse("records:evaluate", args=[987654321])
    except NoReverseMatch:
        return []
    return ["^" + sample.replace("987654321", "[0-9]+") + "$"]


@cache
def cache_version() -> str:
    """Changes whenever a shell file changes (hashed names in production, contents in
    development), so an update of Gugan reaches the phone on its next visit."""
    digest = hashlib.sha256(getattr(settings, "GUGAN_VERSION", "").encode())
    for name in SHELL_ASSETS:
        digest.update(staticfiles_storage.url(name).encode())
        found = finders.find(name)
        if found:
            with open(found, "rb") as fh:
                digest.update(fh.read())
    digest.update(render_to_string("core/offline/sw.js", {"version": ""}).encode())
    return digest.hexdigest()[:12]


@login_not_required
@require_GET
def service_worker(request):
    context = {
        "version": cache_version(),
        "assets": json.dumps([staticfiles_storage.url(n) for n in SHELL_ASSETS]),
        "pages": json.dumps(_urls(SHELL_PAGES)),
        "patterns": json.dumps(_evaluate_pattern()),
    }
    body = render_to_string("core/offline/sw.js", context)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def manifest(request):
    zh = (get_language() or "").startswith("zh")
    data = {
        "name": "骨干教师成长平台" if zh else "Gugan backbone teachers",
        "short_name": "骨干" if zh else "Gugan",
        "lang": "zh-Hans" if zh else "en",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#9b1c1c",
        "icons": [
            {
                "src": staticfiles_storage.url("img/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": staticfiles_storage.url("img/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
            {
                "src": staticfiles_storage.url("img/favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Vary"] = "Accept-Language, Cookie"
    return response


@require_GET
def outbox(request):
    """Queued and refused forms live in the phone's IndexedDB; outbox.js fills this page."""
    return render(request, "core/offline/outbox.html")


urlpatterns = [
    path("sw.js", service_worker, name="service_worker"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("outbox/", outbox, name="outbox"),
]
