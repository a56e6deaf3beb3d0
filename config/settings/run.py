"""`make run`: the quick start, safe to try on a school's network. DEBUG is off (Gugan's own
error pages, no list of URLs), the secret key is generated once under var/ (or SECRET_KEY),
static files come from `collectstatic` through whitenoise. For development use `make dev`."""

from config.secret_key import secret_key_from_file

from .base import *  # noqa: F403
from .base import DEFAULT_STORAGE, VAR_DIR, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="") or secret_key_from_file(VAR_DIR / "secret_key")
STORAGES = {
    "default": DEFAULT_STORAGE,
    # Compressed, cache-busting names; `make run` collects the files first.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
