import time

from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the cookie and the browser's preference.

    Runs after authentication; LocaleMiddleware has already picked a language for anonymous
    visitors (cookie, Accept-Language, then zh-hans)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


SESSION_TOUCHED_KEY = "_touched"


def session_touch(request, **kwargs) -> None:
    """Also the receiver of user_logged_in: a new session starts fresh, with no extra write."""
    request.session[SESSION_TOUCHED_KEY] = int(time.time())


class SlidingSessionMiddleware:
    """Activity keeps a session alive without writing it on every request.

    A session ends SESSION_COOKIE_AGE seconds after it was last saved. Saving it on every
    request (SESSION_SAVE_EVERY_REQUEST) costs a write per page and per poll of a job's progress
    bar; instead the session is saved again once SESSION_REFRESH_SECONDS have passed since the
    last save, so the expiry moves with the user's activity, at most that many seconds late."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        # Only a session that exists: an API request signed by its token has none, and must not
        # be given one.
        if session is None or session.session_key is None:
            return response
        if user is not None and user.is_authenticated:
            touched = session.get(SESSION_TOUCHED_KEY, 0)
            if time.time() - touched >= settings.SESSION_REFRESH_SECONDS:
                session_touch(request)
        return response
