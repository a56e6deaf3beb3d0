"""评优评先: a school's honours list for a school year. The office proposes it from the
records (released annual grades, duty completion, verified outcomes), each candidate with the
reasons that put them there; the principal confirms it, and the confirmed list is the
commendation (title of the honour, date), printed as a PDF."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import school_year_label
from core.scoping import ScopedQuerySet
from teachers.models import Grade


class HonourList(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed by the principal")

    school = models.ForeignKey(
        "core.School",
        on_delete=models.CASCADE,
        related_name="honour_lists",
        verbose_name=_("school"),
    )
    year = models.PositiveSmallIntegerField(_("school year"))
    title = models.CharField(_("title of the commendation"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    commended_on = models.DateField(_("commended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    read_at = models.DateTimeField(_("records read at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("honours list")
        verbose_name_plural = _("honours lists")
        ordering = ["-year", "school"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="honour_list_once_per_year")
        ]

    def __str__(self):
        return self.title

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class HonourCandidateQuerySet(ScopedQuerySet):
    school_path = "honour_list__school"


class HonourCandidate(models.Model):
    """One teacher on a list, with what the records said when they were last read. The office
    keeps or leaves out each candidate and names their honour."""

    honour_list = models.ForeignKey(
        HonourList,
        on_delete=models.CASCADE,
        related_name="candidates",
        verbose_name=_("honours list"),
    )
    teacher = models.ForeignKey(
        "teachers.Teacher",
        on_delete=models.CASCADE,
        related_name="honour_candidacies",
        verbose_name=_("teacher"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    grade = models.PositiveSmallIntegerField(
        _("annual grade"), choices=Grade.choices, null=True, blank=True
    )
    duties_met = models.PositiveSmallIntegerField(_("duties met"), default=0)
    duties_total = models.PositiveSmallIntegerField(_("duties owed"), default=0)
    outcomes = models.PositiveSmallIntegerField(_("verified outcomes"), default=0)
    higher_outcomes = models.PositiveSmallIntegerField(
        _("outcomes at district level or above"), default=0
    )
    included = models.BooleanField(_("on the list"), default=True)
    honour = models.CharField(_("honour"), max_length=50)

    objects = HonourCandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("honours candidate")
        verbose_name_plural = _("honours candidates")
        ordering = ["honour_list", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["honour_list", "teacher"], name="honour_candidate_once_per_list"
            )
        ]

    def __str__(self):
        return f"{self.teacher} · {self.honour}"
