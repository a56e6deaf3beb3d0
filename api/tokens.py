"""Making and revoking API tokens: every write to ApiToken goes through here."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PREFIX_LENGTH, ApiToken, token_hash

TOKEN_BYTES = 32


def may_push_hours(user) -> bool:
    """Who may hold a token that pushes hours: a manager of a school or the district office."""
    scope = user.scope
    return scope.is_superuser or bool(scope.managed_school_ids) or scope.is_district_office


@transaction.atomic
def token_create(
    *,
    user,
    scope: str = ApiToken.Scope.READ,
    name: str = "",
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token of ``user``: the row and the token itself, which is not kept anywhere."""
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Unknown scope.")})
    if scope == ApiToken.Scope.HOURS and not may_push_hours(user):
        raise ValidationError(
            {"scope": _("Only a school's managers or the district office may push hours.")}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must lie in the future.")})
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        user=user,
        scope=scope,
        name=name.strip(),
        prefix=raw[:PREFIX_LENGTH],
        key_hash=token_hash(raw),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, raw


def token_revoke(*, token: ApiToken) -> bool:
    """Revoke ``token``; True when it was still in force (a second click changes nothing)."""
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def token_list(*, user):
    return ApiToken.objects.filter(user=user)
