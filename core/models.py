"""Organisations (district → school → groups), school years, users and their roles, and the
background-job rows every generated file hangs on."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class City(models.Model):
    """A municipal education bureau (市教育局): its districts, and the municipal backbone
    teachers (市级骨干) it designates."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["code"]

    def __str__(self):
        return self.name


class District(models.Model):
    """An education bureau (区/县教育局) and its training office."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
        verbose_name=_("city"),
    )
    # Growth stages by completed years of teaching; see teachers.stages.
    stage_stable_from = models.PositiveSmallIntegerField(_("stable stage from (years)"), default=2)
    stage_innovation_from = models.PositiveSmallIntegerField(
        _("innovation stage from (years)"), default=5
    )
    stage_young_backbone_from = models.PositiveSmallIntegerField(
        _("young-backbone stage from (years)"), default=7
    )
    stage_excellence_from = models.PositiveSmallIntegerField(
        _("excellence stage from (years)"), default=15
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self):
        return self.name


class School(models.Model):
    class Kind(models.TextChoices):
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        PRIMARY = "primary", _("Primary school")
        MIDDLE = "middle", _("Middle school")
        NINE_YEAR = "nine_year", _("Nine-year school")
        CENTRAL = "central", _("Central school")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="schools", verbose_name=_("district")
    )
    code = models.CharField(_("school code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["district", "code"]

    def __str__(self):
        return self.name


class TeachingGroup(models.Model):
    class Kind(models.TextChoices):
        RESEARCH = "research", _("Teaching-research group")
        PREPARATION = "preparation", _("Lesson-preparation group")
        GRADE = "grade", _("Grade group")

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="groups", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RESEARCH)
    # 教研组长 / 备课组长 (and a deputy): a role held in one group, read by core.scoping.
    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_groups",
        verbose_name=_("group heads"),
    )

    class Meta:
        verbose_name = _("teaching-research group")
        verbose_name_plural = _("teaching-research groups")
        ordering = ["school", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "name"], name="group_unique_name_per_school"
            )
        ]

    def __str__(self):
        return self.name


def school_year_start(day: datetime.date) -> int:
    """The start year of the school year containing ``day`` (years run September–August)."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(start: int) -> str:
    return f"{start}–{start + 1}"


class SchoolYearQuerySet(models.QuerySet):
    def containing(self, day: datetime.date):
        return self.filter(start_date__lte=day, end_date__gte=day)


class SchoolYear(models.Model):
    """学年, e.g. 2025–2026: the period every later record and duty refers to."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="school_years", verbose_name=_("district")
    )
    start_year = models.PositiveSmallIntegerField(_("start year"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["district", "-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "start_year"], name="school_year_unique_per_district"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="school_year_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return school_year_label(self.start_year)

    @property
    def is_current(self) -> bool:
        return self.start_date <= timezone.localdate() <= self.end_date


class Semester(models.Model):
    school_year = models.ForeignKey(
        SchoolYear,
        on_delete=models.CASCADE,
        related_name="semesters",
        verbose_name=_("school year"),
    )
    number = models.PositiveSmallIntegerField(
        _("semester"), choices=[(1, _("First semester")), (2, _("Second semester"))]
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        ordering = ["school_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "number"], name="semester_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="semester_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.school_year.label} {self.get_number_display()}"


class Holiday(models.Model):
    """A school holiday inside a semester (国庆, 春节 ...): such days count for no duty week."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=50)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["district", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="holiday_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.start_date}–{self.end_date})"


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    # The fields a user's name is made of (label_of), for lists read as values.
    LABEL_FIELDS = ("display_name", "first_name", "last_name", "username")

    def __str__(self):
        return self.label_of(self.display_name, self.first_name, self.last_name, self.username)

    @staticmethod
    def label_of(display_name, first_name, last_name, username) -> str:
        full_name = f"{first_name or ''} {last_name or ''}".strip()
        return display_name or full_name or username

    @cached_property
    def scope(self):
        """What this user may see and change; computed once per request (core.scoping)."""
        from .scoping import Scope

        return Scope.for_user(self)


class Role(models.TextChoices):
    CITY_OFFICE = "city_office", _("City office")
    DISTRICT_OFFICE = "district_office", _("District office")
    PRINCIPAL = "principal", _("Principal")
    TRAINING_OFFICE = "training_office", _("Training office")
    COMMITTEE = "committee", _("Committee member")
    TEACHER = "teacher", _("Teacher")


SCHOOL_ROLES = (Role.PRINCIPAL, Role.TRAINING_OFFICE, Role.COMMITTEE, Role.TEACHER)


class RoleAssignment(models.Model):
    """A user may hold several roles: each row is one role at one school (or district, or
    city)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("district")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("school")
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("city")
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role=Role.CITY_OFFICE,
                        city__isnull=False,
                        district__isnull=True,
                        school__isnull=True,
                    )
                    | Q(
                        role=Role.DISTRICT_OFFICE,
                        district__isnull=False,
                        school__isnull=True,
                        city__isnull=True,
                    )
                    | (
                        Q(school__isnull=False, district__isnull=True, city__isnull=True)
                        & ~Q(role__in=[Role.DISTRICT_OFFICE, Role.CITY_OFFICE])
                    )
                ),
                name="role_has_its_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="role_unique_per_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                condition=Q(district__isnull=False),
                name="role_unique_per_district",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "city"],
                condition=Q(city__isnull=False),
                name="role_unique_per_city",
            ),
        ]

    def __str__(self):
        place = self.school or self.district or self.city
        return f"{self.user} · {self.get_role_display()} · {place}"


def job_upload_to(job: "Job", filename: str) -> str:
    return f"jobs/{job.created_at:%Y/%m}/{job.pk}/{filename}"


class Job(models.Model):
    """A background job and the file it produces: status, progress, error, who asked."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=50)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("requested by"),
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("school")
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("district")
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    step = models.CharField(_("current step"), max_length=200, blank=True)
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Kind, parameters and the data they cover: the same request reuses the file."),
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to=job_upload_to, blank=True, max_length=255)
    error = models.TextField(_("error"), blank=True)
    # What a job reports besides a file (an import: its summary, the first row problems and
    # their total, the confirm step), shown on the job's page.
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("last sign of life"),
        null=True,
        blank=True,
        help_text=_("Written every few seconds while a worker runs the job."),
    )

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.progress / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_interrupted(self) -> bool:
        """Running, but its worker has not written a heartbeat for a while: it stopped (killed,
        out of memory, machine restarted) and the job can be retried."""
        if self.status != self.Status.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at
        stale_after = datetime.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
        return last is None or last < timezone.now() - stale_after


class IdempotencyKey(models.Model):
    """A key the phone's outbox sends with each queued form (header ``Idempotency-Key``): the
    first request with it does the work and keeps its answer; a retry, a double send or a second
    tab gets the same answer and creates nothing (see core.idempotency)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    endpoint = models.CharField(max_length=100)
    status = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self):
        return f"{self.endpoint} {self.key}"
