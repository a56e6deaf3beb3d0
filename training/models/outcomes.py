"""What follows a programme: who gave feedback after a session (what they answered is in
.questions, apart) and certificates (合格证书)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teachers.models import Teacher

from .programmes import Enrolment, Session


class FeedbackGiven(models.Model):
    """Who answered a session's feedback form, kept apart from what they answered so that the
    answers stay anonymous while nobody answers twice."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("feedback given")
        verbose_name_plural = _("feedback given")
        constraints = [models.UniqueConstraint(fields=["session", "teacher"], name="feedback_once")]

    def __str__(self):
        return f"{self.teacher} · {self.session}"


class Certificate(models.Model):
    """合格证书 of a trainee who passed a programme; its serial is what the public page checks."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("trainee")
    )
    serial = models.CharField(_("serial number"), max_length=24, unique=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["serial"]

    def __str__(self):
        return self.serial

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class SessionReminder(models.Model):
    """The reminder the day before a session, sent to an enrolled teacher: at most once per
    teacher and session (training.reminders). It is also what the teacher's home shows."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="+", verbose_name=_("session")
    )
    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="+", verbose_name=_("teacher")
    )
    emailed = models.BooleanField(_("sent by email"), default=False)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session reminder")
        verbose_name_plural = _("session reminders")
        constraints = [
            models.UniqueConstraint(fields=["session", "teacher"], name="session_reminded_once")
        ]

    def __str__(self):
        return f"{self.teacher} · {self.session}"
