"""Lesson study (磨课, 同课异构): several open classes of one lesson, taught by one teacher in
rounds or by different teachers, brought together so their observations and evaluations (评课)
can be read side by side. It lives with the records because it only links records: the open
classes, their evaluations and the observations made of them stay where they are."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import SHORT_TEXT, LimitedTextField
from core.models import Role, School
from core.scoping import ScopedQuerySet

from .kinds import OpenClass


class LessonStudyQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The school's staff and teachers, and its district office."""
        scope = user.scope
        teaching = scope.school_ids_with({Role.TEACHER})
        if scope.within is not None:
            teaching &= scope.within
        return self.filter(scope.school_filter() | Q(school_id__in=teaching))

    def editable_by(self, user):
        """The school's principal and training office, and the teacher who started it."""
        scope = user.scope
        return self.filter(
            scope.school_filter(write=True)
            | Q(created_by_id=user.pk, school_id__in=scope.school_ids_with({Role.TEACHER}))
        )


class LessonStudy(models.Model):
    class Kind(models.TextChoices):
        POLISHING = "polishing", _("One teacher, several rounds (磨课)")
        SAME_LESSON = "same_lesson", _("Same lesson, different teachers (同课异构)")

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    lesson = models.CharField(_("lesson"), max_length=200)
    subject = models.CharField(_("subject"), max_length=30)
    grade = models.CharField(_("school grade"), max_length=50, blank=True)
    theme = models.CharField(_("research theme"), max_length=200, blank=True)
    summary = LimitedTextField(_("what the study found"), blank=True, max_length=SHORT_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = LessonStudyQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson study")
        verbose_name_plural = _("lesson studies")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.lesson


class LessonStudyRound(models.Model):
    """One open class of the study, in its round (1, 2, 3...)."""

    study = models.ForeignKey(
        LessonStudy, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("lesson study")
    )
    open_class = models.ForeignKey(
        OpenClass, on_delete=models.CASCADE, related_name="+", verbose_name=_("open class")
    )
    number = models.PositiveSmallIntegerField(_("lesson round"))
    note = models.CharField(_("what changed in this round"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lesson-study round")
        verbose_name_plural = _("lesson-study rounds")
        ordering = ["study", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["study", "open_class"], name="lesson_study_class_once")
        ]

    def __str__(self):
        return f"{self.study} · {self.number}"
