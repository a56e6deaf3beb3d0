"""Who a person signing in through single sign-on is in Gugan.

Every protocol hands over the attributes (claims) the identity service released; one Gugan
login is matched by the configured field (SSO_MATCH_FIELD: staff number, email or phone). Single
sign-on never grants a role by itself: a person without a login is refused with the reason,
unless SSO_ROLE_MAP maps their attributes to a school and a role."""

import logging
import re
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from core.models import SCHOOL_ROLES, RoleAssignment, School, User
from teachers.models import Teacher

from .models import Link
from .protocols import match_claim

logger = logging.getLogger(__name__)

FIELDS = ("staff_no", "email", "phone")


class SSORefused(Exception):
    """Nobody in Gugan may sign in with this identity; reason says why (the refusal page)."""

    MISSING = "missing"  # the identity service did not release the matching attribute
    UNKNOWN = "unknown"  # nobody in Gugan has that staff number, email or phone
    NO_LOGIN = "no_login"  # on the roster, but the school has not given them a login
    SWITCHED_OFF = "switched_off"  # their login was switched off (they left the school)
    AMBIGUOUS = "ambiguous"  # several logins share the value

    def __init__(self, reason: str, value: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.value = value


def claim_values(claims: Mapping, name: str) -> list[str]:
    """Every non-empty value of one attribute: services send a string, a list or bytes."""
    if not name:
        return []
    raw = claims.get(name)
    if raw is None:  # LDAP attribute names are case-insensitive
        raw = next((v for k, v in claims.items() if str(k).lower() == name.lower()), None)
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    values = []
    for item in items:
        text = item.decode() if isinstance(item, bytes) else str(item)
        if text.strip():
            values.append(text.strip())
    return values


def _first(claims: Mapping, name: str) -> str:
    values = claim_values(claims, name)
    return values[0] if values else ""


def phone_variants(value: str) -> list[str]:
    """A mainland mobile number as rosters write it: 13800000000, +86 138..., 86-138..."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not digits:
        return []
    spaced = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return [digits, f"+86{digits}", f"+86 {digits}", f"86{digits}", spaced, value]


def _matching(field: str, value: str, school_code: str) -> tuple[Q, Q]:
    """The users, and the roster rows without a login, that hold the value."""
    if field == "staff_no":
        users, roster = Q(teacher__staff_no=value), Q(staff_no=value)
        if school_code:
            users &= Q(teacher__school__code=school_code)
            roster &= Q(school__code=school_code)
    elif field == "email":
        users = Q(email__iexact=value) | Q(teacher__email__iexact=value)
        roster = Q(email__iexact=value)
    else:
        variants = phone_variants(value)
        users, roster = Q(teacher__phone__in=variants), Q(phone__in=variants)
    return users | Q(sso_links__field=field, sso_links__value=value), roster


def sso_user_for(*, protocol: str, claims: Mapping) -> User:
    """The one active Gugan login of this identity, or one made from SSO_ROLE_MAP.

    Raises SSORefused when there is none. Harmless to repeat: a login made from the role map
    is found by the same value next time."""
    field = settings.SSO_MATCH_FIELD
    if field not in FIELDS:
        raise ValueError(f"SSO_MATCH_FIELD must be one of {', '.join(FIELDS)}")
    value = _first(claims, match_claim(protocol))
    if not value:
        raise SSORefused(SSORefused.MISSING)
    users_q, roster_q = _matching(field, value, _first(claims, settings.SSO_SCHOOL_CLAIM))
    users = list(User.objects.filter(users_q).distinct()[:5])
    active = [user for user in users if user.is_active]
    if len(active) == 1:
        return active[0]
    if active:
        raise SSORefused(SSORefused.AMBIGUOUS, value)
    if users:
        # The school switched the login off deliberately: the role map gives nothing back.
        raise SSORefused(SSORefused.SWITCHED_OFF, value)
    grants = role_map_grants(claims)
    if grants:
        return user_from_role_map(
            field=field, value=value, claims=claims, grants=grants, roster_q=roster_q
        )
    on_roster = Teacher.objects.filter(roster_q, user__isnull=True, is_active=True).exists()
    raise SSORefused(SSORefused.NO_LOGIN if on_roster else SSORefused.UNKNOWN, value)


def role_map_grants(claims: Mapping) -> list[tuple[School, str]]:
    """(school, role) for each value of SSO_ROLE_CLAIM that SSO_ROLE_MAP maps."""
    wanted = []
    for value in claim_values(claims, settings.SSO_ROLE_CLAIM):
        target = settings.SSO_ROLE_MAP.get(value)
        if not target:
            continue
        code, _sep, role = str(target).partition(":")
        if role not in SCHOOL_ROLES:
            logger.error("SSO_ROLE_MAP %r: %r is not a school role", value, role)
            continue
        wanted.append((code.strip(), role))
    schools = School.objects.in_bulk([code for code, _ in wanted], field_name="code")
    grants = []
    for code, role in wanted:
        if code not in schools:
            logger.error("SSO_ROLE_MAP names school %r, which does not exist", code)
        elif (schools[code], role) not in grants:
            grants.append((schools[code], role))
    return grants


def _username(base: str) -> str:
    base = re.sub(r"[^\w.@+-]", "-", base.lower())[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def user_from_role_map(
    *,
    field: str,
    value: str,
    claims: Mapping,
    grants: Iterable[tuple[School, str]],
    roster_q: Q,
) -> User:
    """A login with the mapped roles, linked to its roster row when the school has one."""
    grants = list(grants)
    first_school = grants[0][0]
    email = _first(claims, settings.SSO_EMAIL_CLAIM) or (value if field == "email" else "")
    user = User.objects.create_user(
        username=_username(f"{first_school.code}-{value}"),
        password=None,  # no Gugan password: this person signs in through single sign-on
        email=email,
        display_name=_first(claims, settings.SSO_NAME_CLAIM)[:50],
        language=first_school.language,
    )
    Link.objects.create(user=user, field=field, value=value)
    for school, role in grants:
        RoleAssignment.objects.create(user=user, role=role, school=school)
    schools = [school.pk for school, _ in grants]
    roster = Teacher.objects.select_for_update().filter(
        roster_q, school_id__in=schools, user__isnull=True, is_active=True
    )
    rows = list(roster[:2])
    if len(rows) == 1:
        rows[0].user = user
        rows[0].save(update_fields=["user", "updated_at"])
    # The audit trail of role changes: who was given which roles, and from what.
    logger.info(
        "user %s created by single sign-on with roles %s (matched by %s)",
        user.pk, ", ".join(f"{role}@{school.code}" for school, role in grants), field,
    )  # fmt: skip
    return user
