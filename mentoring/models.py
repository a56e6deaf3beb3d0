"""Mentoring (师带徒, 结对子): pairings with their contract terms, guidance sessions and the
mentor's final appraisal. Observations are records.Observation rows tagged with the pairing."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import LONG_TEXT, SHORT_TEXT, LimitedTextField
from core.models import School
from core.scoping import ScopedQuerySet
from teachers.models import Teacher


class PairingQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """School staff and the district see their schools' pairings; mentor and apprentice
        always see their own."""
        own = Q(mentor__user_id=user.pk) | Q(apprentice__user_id=user.pk)
        return self.filter(user.scope.own_rows(own) | user.scope.school_filter())


class Pairing(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ENDED_EARLY = "ended_early", _("Ended early")
        DECLINED = "declined", _("Declined")

    class Origin(models.TextChoices):
        APPRENTICE_REQUEST = "request", _("Requested by the apprentice")
        MENTOR_OFFER = "offer", _("Offered by the mentor")
        SCHOOL = "school", _("Assigned by the school")

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("school")
    )
    mentor = models.ForeignKey(
        Teacher,
        on_delete=models.PROTECT,
        related_name="apprenticeships_as_mentor",
        verbose_name=_("mentor"),
    )
    apprentice = models.ForeignKey(
        Teacher,
        on_delete=models.PROTECT,
        related_name="apprenticeships_as_apprentice",
        verbose_name=_("apprentice"),
    )
    origin = models.CharField(_("how it started"), max_length=10, choices=Origin.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    goals = LimitedTextField(_("goals"), max_length=SHORT_TEXT)
    mentor_duties = LimitedTextField(_("mentor's duties"), max_length=SHORT_TEXT)
    apprentice_duties = LimitedTextField(_("apprentice's duties"), max_length=SHORT_TEXT)
    mentor_observations_per_week = models.PositiveSmallIntegerField(
        _("mentor observations of the apprentice per week"), default=2
    )
    apprentice_observations_per_week = models.PositiveSmallIntegerField(
        _("apprentice observations of the mentor per week"), default=1
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = LimitedTextField(_("reason for ending early"), blank=True, max_length=SHORT_TEXT)
    renewed_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renewal of"),
    )
    report_class = models.ForeignKey(
        "records.OpenClass",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("end-of-pairing report class (汇报课)"),
    )
    final_appraisal = LimitedTextField(
        _("mentor's final appraisal"), blank=True, max_length=LONG_TEXT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring pairing")
        verbose_name_plural = _("mentoring pairings")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=models.F("apprentice")), name="pairing_two_people"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="pairing_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["mentor", "apprentice"],
                condition=Q(status__in=["proposed", "active"]),
                name="one_open_pairing_per_pair",
            ),
        ]

    def __str__(self):
        return f"{self.mentor.name} → {self.apprentice.name}"


class GuidanceSessionQuerySet(ScopedQuerySet):
    school_path = "pairing__school"


class GuidanceSession(models.Model):
    class Kind(models.TextChoices):
        LESSON_PLAN = "lesson_plan", _("Lesson-plan review")
        DEBRIEF = "debrief", _("Post-class debrief")
        MATERIALS = "materials", _("Teaching-material analysis")
        REFLECTION = "reflection", _("Reflection talk")

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("pairing")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    notes = LimitedTextField(_("notes"), max_length=LONG_TEXT)
    follow_up = LimitedTextField(_("follow-up actions"), blank=True, max_length=SHORT_TEXT)
    private = models.BooleanField(
        _("private to the pair"),
        default=False,
        help_text=_("Others see that the session happened, not what was said."),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    objects = GuidanceSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("guidance session")
        verbose_name_plural = _("guidance sessions")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.pairing} · {self.date}"
