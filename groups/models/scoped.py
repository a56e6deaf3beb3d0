"""Who reaches a group's rows: the school's staff and district (core.scoping), the group's
heads, and its members, who read their group's plan, activities and preparation. Writes are
the heads' and the school managers' (Scope.can_lead_group)."""

from django.db.models import Q

from core.scoping import ScopedQuerySet


def member_group_ids(user):
    """The groups ``user`` belongs to, as a subquery: the roster's group and the listed ones."""
    from teachers.models import Teacher

    from .members import Membership

    roster = (
        Teacher.objects.filter(user_id=user.pk, group__isnull=False).order_by().values("group_id")
    )
    listed = Membership.objects.filter(teacher__user_id=user.pk).order_by().values("group_id")
    return roster.union(listed)


def group_q(user, path: str = "", *, write: bool = False) -> Q:
    """A Q on the group reached through ``path`` ("" for TeachingGroup itself)."""
    prefix = f"{path}__" if path else ""
    scope = user.scope
    q = scope.school_filter(f"{prefix}school", write=write)
    if scope.is_superuser:
        return q
    q |= Q(**{f"{prefix}pk__in": scope.led_group_ids})
    if not write and user.is_authenticated:
        q |= Q(**{f"{prefix}pk__in": member_group_ids(user)})
    return q


class GroupScopedQuerySet(ScopedQuerySet):
    group_path = "group"

    def visible_to(self, user):
        return self.filter(group_q(user, self.group_path))

    def editable_by(self, user):
        return self.filter(group_q(user, self.group_path, write=True))


class WeekQuerySet(GroupScopedQuerySet):
    group_path = "plan__group"


class ActivityQuerySet(GroupScopedQuerySet):
    group_path = "plan__group"


class ActivityFileQuerySet(GroupScopedQuerySet):
    group_path = "activity__plan__group"


class UnitQuerySet(GroupScopedQuerySet):
    group_path = "plan__group"
