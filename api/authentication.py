"""``Authorization: Bearer TOKEN``: the token's user is the request's user, so every endpoint
sees through that user's scope (core.scoping), exactly as their pages do."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .models import ApiToken, token_hash

# last_used_at is written at most this often per token, not on every request.
TOUCH_EVERY = datetime.timedelta(minutes=5)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer TOKEN”, with no spaces in it.")
            )
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return self.check(raw)

    def check(self, raw: str):
        token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.is_expired:
            expired = formats.date_format(timezone.localtime(token.expires_at), "DATETIME_FORMAT")
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s.") % {"date": expired}
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's user is no longer active."))
        now = timezone.now()
        if token.last_used_at is None or token.last_used_at < now - TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
