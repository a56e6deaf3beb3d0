"""Every read of the recognition pages, scoped through the user's Scope (core.scoping).

Who: the principal and the training office of a school act on its allowances and rewards;
the district office sets the district's default rates and reads its schools; a teacher sees
only their own allowances and rewards, on their own page."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from backbone.models import Tier
from core.models import District, Role, School

from .models import Rate, Reward


def readable_schools(user) -> QuerySet[School]:
    """Schools whose allowances the user reads: their managers and their district office."""
    scope = user.scope
    schools = scope.schools().order_by("district__code", "code")
    if scope.is_superuser:
        return schools
    return schools.filter(
        Q(pk__in=scope.managed_school_ids) | Q(district_id__in=scope.district_ids)
    )


def writable_schools(user) -> QuerySet[School]:
    return user.scope.schools(write=True).order_by("district__code", "code")


def can_read(user) -> bool:
    scope = user.scope
    return scope.is_superuser or bool(scope.managed_school_ids) or scope.is_district_office


def require_reader(user) -> None:
    if not can_read(user):
        raise Http404


def get_school(user, pk, *, write: bool = False) -> School:
    """The school ``pk`` (or the user's first one): 404 outside the user's reach, 403 for a
    reader who asks to change it."""
    schools = readable_schools(user)
    school = schools.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if pk and school is None:
        raise Http404
    school = school or schools.first()
    if school is None:
        raise Http404
    if write and not user.scope.can_manage_school(school.pk):
        raise PermissionDenied
    return school


def rate_districts(user) -> QuerySet[District]:
    """Districts whose default rates the user reads."""
    ids = readable_schools(user).values("district_id")
    return District.objects.filter(Q(pk__in=ids) | Q(pk__in=user.scope.district_ids)).order_by(
        "code"
    )


def writable_districts(user) -> QuerySet[District]:
    scope = user.scope
    if scope.is_superuser:
        return District.objects.order_by("code")
    return District.objects.filter(pk__in=scope.district_ids).order_by("code")


def rate_list(user) -> QuerySet[Rate]:
    """The district defaults and the schools' own rates the user may read, history included."""
    return (
        Rate.objects.filter(
            Q(school__isnull=True, district__in=rate_districts(user))
            | Q(school__in=readable_schools(user))
        )
        .select_related("district", "school", "tier", "created_by")
        .order_by("district__code", "school__code", "kind", "tier__level", "-valid_from")
    )


def rate_tiers(user) -> QuerySet[Tier]:
    return Tier.objects.filter(
        district__in=rate_districts(user), kind=Tier.Kind.TIER
    ).select_related("district")


def reward_list(user, *, school: School | None = None) -> QuerySet[Reward]:
    qs = Reward.objects.filter(school__in=readable_schools(user))
    if school is not None:
        qs = qs.filter(school=school)
    return qs.select_related(
        "school", "teacher", "designation__teacher", "designation__tier", "decided_by"
    ).order_by("status", "-awarded_on", "-pk")


def can_decide_at(user, school_id: int) -> bool:
    """The mentor's reward is approved by the school's principal."""
    scope = user.scope
    return scope.is_superuser or Role.PRINCIPAL in scope.roles_at(school_id)


def can_decide(user, reward: Reward) -> bool:
    return can_decide_at(user, reward.school_id)


def get_reward(user, pk, *, write: bool = False) -> Reward:
    reward = reward_list(user).filter(pk=pk).first() if str(pk or "").isdigit() else None
    if reward is None:
        raise Http404
    if write and not user.scope.can_manage_school(reward.school_id):
        raise PermissionDenied
    return reward
