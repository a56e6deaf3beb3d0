"""What colleagues add to a record: sign-ups to observe an open class, its evaluations (评课),
comments on a self-development plan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import LONG_TEXT, SHORT_TEXT, LimitedTextField
from teachers.models import Teacher

from .kinds import OpenClass, SelfDevelopmentPlan


class OpenClassSignup(models.Model):
    """A teacher signing up to observe an open class."""

    open_class = models.ForeignKey(
        OpenClass, on_delete=models.CASCADE, related_name="signups", verbose_name=_("open class")
    )
    observer = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="signups", verbose_name=_("observer")
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)

    class Meta:
        verbose_name = _("observer sign-up")
        verbose_name_plural = _("observer sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["open_class", "observer"], name="signup_once")
        ]

    def __str__(self):
        return f"{self.observer} → {self.open_class}"


class OpenClassEvaluation(models.Model):
    """评课: an observer's ratings and comments, which the teacher of the class sees."""

    RATING_CHOICES = [(i, str(i)) for i in range(1, 6)]

    open_class = models.ForeignKey(
        OpenClass,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("open class"),
    )
    observer = models.ForeignKey(
        Teacher,
        on_delete=models.CASCADE,
        related_name="evaluations_given",
        verbose_name=_("observer"),
    )
    design = models.PositiveSmallIntegerField(_("teaching design"), choices=RATING_CHOICES)
    delivery = models.PositiveSmallIntegerField(_("classroom delivery"), choices=RATING_CHOICES)
    engagement = models.PositiveSmallIntegerField(_("student engagement"), choices=RATING_CHOICES)
    effect = models.PositiveSmallIntegerField(_("teaching effect"), choices=RATING_CHOICES)
    comments = LimitedTextField(_("comments"), max_length=LONG_TEXT)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("open-class evaluation")
        verbose_name_plural = _("open-class evaluations")
        constraints = [
            models.UniqueConstraint(fields=["open_class", "observer"], name="evaluation_once")
        ]

    def __str__(self):
        return f"{self.observer} · {self.open_class}"

    @property
    def average(self) -> float:
        return (self.design + self.delivery + self.engagement + self.effect) / 4


class PlanComment(models.Model):
    plan = models.ForeignKey(
        SelfDevelopmentPlan,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("plan"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    text = LimitedTextField(_("comment"), max_length=SHORT_TEXT)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.author} · {self.plan}"
