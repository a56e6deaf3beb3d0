"""Collective lesson preparation (集体备课): a unit or lesson given to a main preparer, who
writes the first draft (初备); the group comments on it; the head marks the common plan
agreed (共案); each teacher adapts it for their class (个案, 二次备课) and, after teaching,
adds a reflection. Each teacher's part becomes their teaching-design record by itself
(groups.credits)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import SHORT_TEXT, LimitedTextField
from teachers.models import Teacher

from .planning import Activity, SemesterPlan
from .scoped import UnitQuerySet


def unit_file_upload_to(instance, filename: str) -> str:
    return f"groups/units/{instance.token}"


class PreparationUnit(models.Model):
    class Stage(models.TextChoices):
        ASSIGNED = "assigned", _("Given to the main preparer")
        DRAFTED = "drafted", _("First draft in discussion (初备)")
        AGREED = "agreed", _("Common plan agreed (共案)")

    plan = models.ForeignKey(
        SemesterPlan, on_delete=models.CASCADE, related_name="units", verbose_name=_("plan")
    )
    title = models.CharField(_("unit or lesson"), max_length=200)
    main_preparer = models.ForeignKey(
        Teacher, on_delete=models.PROTECT, related_name="+", verbose_name=_("main preparer")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("discussed at"),
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.ASSIGNED
    )
    draft = LimitedTextField(_("first draft (初备)"), blank=True)
    token = models.CharField(max_length=40, blank=True, editable=False)
    draft_file = models.FileField(
        _("draft file"), upload_to=unit_file_upload_to, max_length=255, blank=True
    )
    draft_file_name = models.CharField(max_length=200, blank=True, editable=False)
    drafted_at = models.DateTimeField(_("drafted at"), null=True, blank=True)
    common_plan = LimitedTextField(_("common plan (共案)"), blank=True)
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("collective preparation unit")
        verbose_name_plural = _("collective preparation units")
        ordering = ["plan", "created_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def source_key(self) -> str:
        """What each teacher's teaching-design record says it was credited from."""
        return f"group-unit:{self.pk}"


class DraftComment(models.Model):
    unit = models.ForeignKey(
        PreparationUnit, on_delete=models.CASCADE, related_name="comments", verbose_name=_("unit")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = LimitedTextField(_("comment"), max_length=SHORT_TEXT)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a draft")
        verbose_name_plural = _("comments on drafts")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:50]


class Adaptation(models.Model):
    """One teacher's own version of the common plan (个案) and their reflection after class."""

    unit = models.ForeignKey(
        PreparationUnit,
        on_delete=models.CASCADE,
        related_name="adaptations",
        verbose_name=_("unit"),
    )
    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="+", verbose_name=_("teacher")
    )
    class_name = models.CharField(_("class"), max_length=50, blank=True)
    text = LimitedTextField(_("own adaptation (个案, 二次备课)"))
    taught_on = models.DateField(_("taught on"), null=True, blank=True)
    reflection = LimitedTextField(_("reflection after class (教学反思)"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("own adaptation")
        verbose_name_plural = _("own adaptations")
        ordering = ["unit", "teacher__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "teacher"], name="one_adaptation_per_teacher"),
        ]

    def __str__(self):
        return f"{self.teacher} · {self.unit}"

    @property
    def is_reflected(self) -> bool:
        return bool(self.reflection.strip())
