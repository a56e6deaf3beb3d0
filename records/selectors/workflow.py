"""Reads of the verification workflow: a record or an attachment through the scoping layer,
the queue of records awaiting verification, the audit trail, and the named predicates the
pages use to decide which buttons a viewer gets."""

from collections import defaultdict

import django_filters
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.filters import FilterSet
from core.models import School, TeachingGroup

from ..models import (
    Attachment,
    AuditEntry,
    Kind,
    Lecture,
    Observation,
    OpenClass,
    Paper,
    ReadingNote,
    Record,
    ResearchProject,
    SelfDevelopmentPlan,
    Status,
    StudyTrip,
    TeachingReflection,
    Training,
)

# The table holding each kind's own fields (for labelling the fields an audit entry lists).
KIND_MODELS: dict[str, type[Record]] = {
    Kind.OPEN_CLASS: OpenClass,
    Kind.OBSERVATION: Observation,
    Kind.PAPER: Paper,
    Kind.PROJECT: ResearchProject,
    Kind.LECTURE: Lecture,
    Kind.TRAINING: Training,
    Kind.READING: ReadingNote,
    Kind.STUDY_TRIP: StudyTrip,
    Kind.PLAN: SelfDevelopmentPlan,
    Kind.REFLECTION: TeachingReflection,
}


# -- predicates -----------------------------------------------------------------------------
# ``record`` must come with its teacher (get_record selects it), so none of these queries.
def is_author(*, user, record: Record) -> bool:
    return user.pk is not None and record.teacher.user_id == user.pk


def can_edit(*, user, record: Record) -> bool:
    """The author changes a record, its files included, while it is a draft or returned."""
    return is_author(user=user, record=record) and record.status in (
        Status.DRAFT,
        Status.RETURNED,
    )


def can_submit(*, user, record: Record) -> bool:
    """The author submits a draft or a returned record, and a planned open class once held."""
    if can_edit(user=user, record=record):
        return True
    return (
        is_author(user=user, record=record)
        and record.status == Status.PLANNED
        and record.date <= timezone.localdate()
    )


def can_verify(*, user, record: Record) -> bool:
    """The principal and the training office of the record's school verify and return it."""
    return user.scope.can_manage_school(record.teacher.school_id)


def can_read_audit(*, user, record: Record) -> bool:
    return is_author(user=user, record=record) or can_verify(user=user, record=record)


def can_verify_anywhere(*, user) -> bool:
    return user.scope.is_superuser or bool(user.scope.managed_school_ids)


# -- single objects -------------------------------------------------------------------------
def get_record(*, user, pk: int) -> Record:
    """A record the user may see (the author: always; staff: once submitted), else 404."""
    record = (
        Record.objects.visible_to(user)
        .select_related("teacher__school", "verified_by")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404
    return record


def get_attachment(*, user, pk: int) -> Attachment:
    """An attachment of a record the user may see, else 404. A removed one is 404 for
    everyone: its file is gone; the audit trail keeps only its name and size."""
    attachment = (
        Attachment.objects.select_related("record__teacher__school")
        .filter(
            pk=pk,
            removed_at__isnull=True,
            record__in=Record.objects.visible_to(user).values("pk"),
        )
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def record_attachments(*, record: Record) -> QuerySet[Attachment]:
    return Attachment.objects.filter(record_id=record.pk, removed_at__isnull=True).select_related(
        "uploaded_by"
    )


# -- verification queue ---------------------------------------------------------------------
def verification_queue(*, user) -> QuerySet[Record]:
    """Records awaiting verification at the schools the user manages, newest first."""
    return (
        Record.objects.verifiable_by(user)
        .filter(status=Status.SUBMITTED)
        .select_related("teacher__school", "teacher__group")
        .annotate(
            attachment_count=Count("attachments", filter=Q(attachments__removed_at__isnull=True))
        )
        .order_by("-submitted_at", "-pk")
    )


class QueueFilter(FilterSet):
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=Kind.choices)
    group = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Teaching-research group"),
        field_name="teacher__group",
        queryset=TeachingGroup.objects.none(),
    )
    school = django_filters.ModelChoiceFilter(
        label=gettext_lazy("School"),
        field_name="teacher__school",
        queryset=School.objects.none(),
    )

    class Meta:
        model = Record
        fields = ["kind", "group", "school"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        schools = user.scope.schools(write=True)
        self.filters["group"].queryset = TeachingGroup.objects.filter(
            school__in=schools, kind=TeachingGroup.Kind.RESEARCH
        ).select_related("school")
        if len(schools) > 1:
            self.filters["school"].queryset = schools
        else:
            del self.filters["school"]


# -- audit trail ----------------------------------------------------------------------------
def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except models.FieldDoesNotExist:
        return None


def _shown(field: models.Field | None, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if field.is_relation:
        return str(related.get((field.related_model, value), value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    return str(value)


def audit_trail(*, record: Record) -> list[AuditEntry]:
    """Every entry of the record's trail, oldest first. Entries of edits carry
    ``change_rows``: (field label, old value, new value), ready to show."""
    entries = list(AuditEntry.objects.filter(record_id=record.pk).select_related("actor"))
    # Which files named in the trail can still be downloaded (removed ones cannot).
    named = {e.changes.get("attachment") for e in entries if isinstance(e.changes, dict)}
    present = set(
        Attachment.objects.filter(
            record_id=record.pk, pk__in=[pk for pk in named if isinstance(pk, int)],
            removed_at__isnull=True,
        ).values_list("pk", flat=True)
    )  # fmt: skip
    for entry in entries:
        attachment = entry.changes.get("attachment") if isinstance(entry.changes, dict) else None
        entry.downloadable = attachment if attachment in present else None
    model = KIND_MODELS.get(record.kind, Record)
    # Related objects named in changes, fetched once per model rather than once per row.
    wanted = defaultdict(set)
    for entry in entries:
        if entry.action == AuditEntry.Action.UPDATED:
            for name, pair in entry.changes.items():
                field = _field(model, name)
                if field is not None and field.is_relation and isinstance(pair, list):
                    wanted[field.related_model].update(v for v in pair if v is not None)
    related = {
        (related_model, pk): obj
        for related_model, pks in wanted.items()
        for pk, obj in related_model._default_manager.in_bulk(pks).items()
    }
    for entry in entries:
        entry.change_rows = []
        if entry.action != AuditEntry.Action.UPDATED:
            continue
        for name, pair in entry.changes.items():
            field = _field(model, name)
            old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            label = field.verbose_name if field is not None else name
            entry.change_rows.append(
                (label, _shown(field, old, related), _shown(field, new, related))
            )
    return entries
