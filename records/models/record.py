"""The one Record every kind is a child table of, and its scoped queryset."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import SHORT_TEXT, LimitedTextField
from core.models import school_year_label
from core.scoping import ScopedQuerySet
from teachers.models import Teacher

from .choices import KIND_ACCESSORS, Kind, Status


class RecordQuerySet(ScopedQuerySet):
    school_path = "teacher__school"

    def visible_to(self, user):
        """A teacher sees all their own records; school staff and the district see the
        records of their schools once submitted (drafts stay private to their author)."""
        own = user.scope.own_rows(Q(teacher__user_id=user.pk), self.school_path)
        return self.filter(
            own | (user.scope.school_filter(self.school_path) & ~Q(status=Status.DRAFT))
        )

    def editable_by(self, user):
        """Only the author changes a record, and only while it is a draft or returned."""
        return self.filter(teacher__user_id=user.pk, status__in=[Status.DRAFT, Status.RETURNED])

    def verifiable_by(self, user):
        return self.filter(user.scope.school_filter(self.school_path, write=True))

    def counting(self):
        """Only verified records count for duties, assessments and dossiers."""
        return self.filter(status=Status.VERIFIED)


class Record(models.Model):
    teacher = models.ForeignKey(
        Teacher, on_delete=models.PROTECT, related_name="records", verbose_name=_("teacher")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    year = models.PositiveSmallIntegerField(_("school year"))
    semester = models.PositiveSmallIntegerField(
        _("semester"),
        choices=[(1, _("First semester")), (2, _("Second semester"))],
        null=True,
        blank=True,
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = LimitedTextField(_("reason for returning"), blank=True, max_length=SHORT_TEXT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # Set when another app credits the record by itself (a training session's attendance):
    # one record per teacher and source, so a re-import or a second scan credits nothing new.
    source = models.CharField(_("credited from"), max_length=60, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["teacher", "year", "kind"]),
            models.Index(fields=["status", "kind"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "source"],
                condition=~Q(source=""),
                name="record_credited_once_per_source",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_credited(self) -> bool:
        """Credited by Gugan itself (e.g. attendance at a session): nothing to verify."""
        return bool(self.source)

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)

    @property
    def detail(self) -> "Record":
        """The kind's own row (OpenClass, Paper, ...), with every field of the record."""
        return getattr(self, KIND_ACCESSORS[self.kind])

    @property
    def is_locked(self) -> bool:
        return self.status in (Status.PLANNED, Status.SUBMITTED, Status.VERIFIED, Status.ARCHIVED)

    def summary(self) -> str:
        """The title shown in lists; each kind says what matters most about it."""
        return self.title
