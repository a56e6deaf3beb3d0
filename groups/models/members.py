"""Who belongs to a group, and what the school says about group work.

A teaching-research group's members are the roster's (Teacher.group, imported with the
roster). A lesson-preparation or grade group cuts across them, so its members are listed here;
``groups.selectors.group_members`` reads both ways as one list."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import School, TeachingGroup
from core.scoping import ScopedQuerySet
from teachers.models import Teacher


class MembershipQuerySet(ScopedQuerySet):
    school_path = "group__school"


class Membership(models.Model):
    group = models.ForeignKey(
        TeachingGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("group"),
    )
    teacher = models.ForeignKey(
        Teacher,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("teacher"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "teacher"], name="group_member_once"),
        ]

    def __str__(self):
        return f"{self.teacher} · {self.group}"


class GroupSettings(models.Model):
    """One row per school; a school without one uses the defaults below."""

    school = models.OneToOneField(
        School, on_delete=models.CASCADE, related_name="group_settings", verbose_name=_("school")
    )
    activity_hours = models.DecimalField(
        _("hours credited for attending an activity"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("2.0"),
    )
    hours_school_based = models.BooleanField(
        _("activity hours count as school-based training (校本培训)"), default=False
    )

    class Meta:
        verbose_name = _("group work settings")
        verbose_name_plural = _("group work settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(activity_hours__gt=0), name="group_activity_hours_positive"
            ),
        ]

    def __str__(self):
        return str(self.school)

    @classmethod
    def for_school(cls, school_id: int) -> "GroupSettings":
        return cls.objects.filter(school_id=school_id).first() or cls(school_id=school_id)
