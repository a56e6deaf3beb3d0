"""A group's semester plan (its weekly slot and week-by-week schedule) and its activities
(教研活动). Each activity owns a training session in the plan's programme, so its
attendance is the training register: tick list, rotating QR sign-in, import and the hours
ledger work unchanged (training.ledger)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import SHORT_TEXT, LimitedTextField
from core.models import Semester, TeachingGroup
from training.models import Programme, Session

from .scoped import ActivityFileQuerySet, ActivityQuerySet, GroupScopedQuerySet, WeekQuerySet


class ActivityKind(models.TextChoices):
    PLANNING = "planning", _("Semester planning (制定计划)")
    COLLECTIVE_PREP = "collective_prep", _("Collective lesson preparation (集体备课)")
    PRESENTATION = "presentation", _("Lesson presentation (说课)")
    EVALUATION = "evaluation", _("Lesson evaluation (评课)")
    POLISHING = "polishing", _("Lesson polishing (磨课)")
    SAME_LESSON = "same_lesson", _("Same lesson, different designs (同课异构)")
    SEMINAR = "seminar", _("Thematic seminar (专题研讨)")
    STUDY = "study", _("Theory study (理论学习)")
    SUMMARY = "summary", _("Semester summary (学期总结)")


WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]
MAX_WEEKS = 25


class SemesterPlan(models.Model):
    group = models.ForeignKey(
        TeachingGroup, on_delete=models.CASCADE, related_name="plans", verbose_name=_("group")
    )
    semester = models.ForeignKey(
        Semester, on_delete=models.PROTECT, related_name="+", verbose_name=_("semester")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=100)
    aims = LimitedTextField(_("aims of the semester"), blank=True)
    # The programme holding this plan's activities as sessions (one per group and semester).
    programme = models.OneToOneField(
        Programme, on_delete=models.PROTECT, related_name="group_plan", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = GroupScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("semester plan")
        verbose_name_plural = _("semester plans")
        ordering = ["group", "-semester__start_date"]
        constraints = [
            models.UniqueConstraint(fields=["group", "semester"], name="group_plan_per_semester"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="group_slot_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.group} · {self.semester}"

    def week_start(self, week: int) -> datetime.date:
        """The Monday of teaching week ``week``: week 1 is the week the semester starts in."""
        first = self.semester.start_date
        return first - datetime.timedelta(days=first.weekday()) + datetime.timedelta(weeks=week - 1)

    def date_of_week(self, week: int) -> datetime.date:
        """The day of the weekly slot in teaching week ``week``."""
        return self.week_start(week) + datetime.timedelta(days=self.weekday - 1)

    def week_of(self, day: datetime.date) -> int:
        return (day - self.week_start(1)).days // 7 + 1

    @property
    def week_count(self) -> int:
        return min(MAX_WEEKS, self.week_of(self.semester.end_date))


class PlannedWeek(models.Model):
    plan = models.ForeignKey(
        SemesterPlan, on_delete=models.CASCADE, related_name="weeks", verbose_name=_("plan")
    )
    week = models.PositiveSmallIntegerField(_("week"))
    theme = models.CharField(_("theme"), max_length=200)
    kind = models.CharField(_("activity kind"), max_length=20, choices=ActivityKind.choices)

    objects = WeekQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned week")
        verbose_name_plural = _("planned weeks")
        ordering = ["plan", "week"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "week"], name="group_plan_week_once"),
            models.CheckConstraint(
                condition=Q(week__gte=1, week__lte=MAX_WEEKS), name="group_plan_week_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.week}: {self.theme}"

    @property
    def date(self) -> datetime.date:
        return self.plan.date_of_week(self.week)


class Activity(models.Model):
    """A held (or announced) activity: its time, place, theme and host are its session's."""

    plan = models.ForeignKey(
        SemesterPlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan")
    )
    week = models.OneToOneField(
        PlannedWeek,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity",
        verbose_name=_("planned week"),
    )
    session = models.OneToOneField(
        Session, on_delete=models.PROTECT, related_name="group_activity", editable=False
    )
    kind = models.CharField(_("activity kind"), max_length=20, choices=ActivityKind.choices)
    minutes = LimitedTextField(_("minutes (活动记录)"), blank=True)
    follow_up = LimitedTextField(_("follow-up actions"), blank=True, max_length=SHORT_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("group activity")
        verbose_name_plural = _("group activities")
        ordering = ["session__date", "session__starts_at", "pk"]

    def __str__(self):
        return str(self.session)


def activity_file_upload_to(instance: "ActivityAttachment", filename: str) -> str:
    return f"groups/activities/{instance.activity_id}/{instance.token}"


class ActivityAttachment(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("activity")
    )
    token = models.CharField(max_length=40, unique=True, editable=False)
    file = models.FileField(upload_to=activity_file_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ActivityFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity file")
        verbose_name_plural = _("activity files")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name
