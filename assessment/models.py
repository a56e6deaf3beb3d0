"""Assessment results. For now the annual grade record that eligibility reads; the assessment
rounds of a later issue fill it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet


class Grade(models.IntegerChoices):
    """考核等次, ordered so that rules can ask for "good or better"."""

    UNQUALIFIED = 1, _("Unqualified (不合格)")
    QUALIFIED = 2, _("Qualified (合格)")
    GOOD = 3, _("Good (良好)")
    EXCELLENT = 4, _("Excellent (优秀)")


class AnnualGradeQuerySet(ScopedQuerySet):
    school_path = "teacher__school"


class AnnualGrade(models.Model):
    teacher = models.ForeignKey(
        "teachers.Teacher",
        on_delete=models.CASCADE,
        related_name="annual_grades",
        verbose_name=_("teacher"),
    )
    year = models.PositiveSmallIntegerField(_("school year (start year)"))
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = AnnualGradeQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual assessment grade")
        verbose_name_plural = _("annual assessment grades")
        ordering = ["teacher", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "year"], name="annual_grade_once_per_year")
        ]

    def __str__(self):
        return f"{self.teacher} {self.year}: {self.get_grade_display()}"

    @property
    def year_label(self) -> str:
        return f"{self.year}–{self.year + 1}"
