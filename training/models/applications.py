"""A teacher's application to a programme open for application, and the decision on it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import SHORT_TEXT, LimitedTextField
from core.scoping import ScopedQuerySet
from teachers.models import Teacher

from .programmes import Programme


class ApplicationQuerySet(ScopedQuerySet):
    school_path = "teacher__school"

    def pending(self):
        return self.filter(status=Application.Status.PENDING)


class Application(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("programme"),
    )
    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="+", verbose_name=_("teacher")
    )
    note = LimitedTextField(_("note"), max_length=SHORT_TEXT, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decision_reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "teacher"], name="applied_once")
        ]

    def __str__(self):
        return f"{self.teacher} → {self.programme}"
