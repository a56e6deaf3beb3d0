"""A teacher on long-cycle training (长周期培训: further study away, a secondment) may be
exempted from the school-based part of the yearly hours (校本培训 24 h) for one school year.
The 72-hour total still applies. records.hours reads these rows: every meter, duty, grade
rule and report that counts hours follows them from there."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import SHORT_TEXT, LimitedTextField
from core.models import school_year_label
from core.scoping import ScopedQuerySet
from teachers.models import Teacher


class HoursExemptionQuerySet(ScopedQuerySet):
    school_path = "teacher__school"


class HoursExemption(models.Model):
    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="+", verbose_name=_("teacher")
    )
    year = models.PositiveSmallIntegerField(_("school year"))
    reason = LimitedTextField(_("reason"), max_length=SHORT_TEXT)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = HoursExemptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exemption from school-based hours")
        verbose_name_plural = _("exemptions from school-based hours")
        ordering = ["-year", "teacher__staff_no", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "year"], name="hours_exempt_once_a_year")
        ]

    def __str__(self):
        return f"{self.teacher} · {self.year_label}"

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)
