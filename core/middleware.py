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
