"""Reads for the record pages and "My growth": one record with every field of its kind, and a
teacher's timeline, counts and open items, all scoped to the user."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import school_year_label
from core.scoping import get_for_user
from core.wording import list_separator
from teachers.models import Teacher

from ..models import (
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

ATTENTION_LIMIT = 10


# -- one record -------------------------------------------------------------------------------

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


def kind_row(record: Record) -> Record:
    """The kind's own row (OpenClass, Paper, ...) of a record. (``Record.detail`` guesses the
    accessor from the kind and misses researchproject, readingnote, selfdevelopmentplan.)"""
    if isinstance(record, KIND_MODELS[record.kind]):
        return record
    return getattr(record, KIND_MODELS[record.kind]._meta.model_name)


def get_record(*, user, pk: int) -> Record:
    """A record the user may see (the author always, school staff and the district once it
    is submitted, the teacher's mentor their submitted plan); 404 otherwise."""
    records = Record.objects.select_related("teacher__school", "verified_by")
    record = records.visible_to(user).filter(pk=pk).first()
    if record is None:
        from ..services.plans import get_plan_for_user

        record = records.get(pk=get_plan_for_user(user=user, pk=pk).pk)  # or 404
    return record


def get_editable_record(*, user, pk: int) -> Record:
    """The author's own draft or returned record: 404 to those who may not see it, 403 to
    those who may see it but not change it (staff, or the author once it is submitted)."""
    return get_for_user(Record.objects.select_related("teacher__school"), user, write=True, pk=pk)


def get_own_teacher(*, user) -> Teacher:
    """The signed-in user's own teacher profile: only teachers log records."""
    teacher = Teacher.objects.select_related("school").filter(user_id=user.pk).first()
    if teacher is None:
        raise Http404
    if not teacher.is_active:
        raise PermissionDenied
    return teacher


@dataclass(frozen=True)
class FieldRow:
    """One field of a record as the detail page shows it."""

    label: str
    value: Any
    type: str = "text"  # text, long, date, datetime, bool, number
    url: str = ""

    @property
    def is_empty(self) -> bool:
        return self.value in (None, "", [])


def _row(detail: Record, field: models.Field, *, user) -> FieldRow:
    label = field.verbose_name
    if field.many_to_many:
        names = [str(getattr(obj, "name", obj)) for obj in getattr(detail, field.name).all()]
        return FieldRow(label, list_separator().join(names))
    if field.choices:
        raw = getattr(detail, field.attname)
        value = getattr(detail, f"get_{field.name}_display")() if raw not in (None, "") else ""
        return FieldRow(label, value)
    if field.is_relation:
        obj = getattr(detail, field.name)
        if isinstance(obj, Record):
            # A link only where the viewer may follow it (drafts stay with their author).
            url = ""
            if Record.objects.visible_to(user).filter(pk=obj.pk).exists():
                url = reverse("records:detail", args=[obj.pk])
            return FieldRow(label, str(obj) if obj else "", url=url)
        return FieldRow(label, getattr(obj, "name", obj) if obj else "")
    value = getattr(detail, field.attname)
    kinds = {
        models.TextField: "long",
        models.DateTimeField: "datetime",
        models.DateField: "date",
        models.BooleanField: "bool",
        models.DecimalField: "number",
    }
    kind = next((k for cls, k in kinds.items() if isinstance(field, cls)), "text")
    return FieldRow(label, value, kind)


def record_fields(*, detail: Record, user) -> list[FieldRow]:
    """Every field of a record's own kind (``detail``: an OpenClass, a Paper, ...) with its
    label and its display value, in the order the model declares them."""
    meta = type(detail)._meta
    fields = [
        f
        for f in [*meta.local_fields, *meta.local_many_to_many]
        if f.editable and not (f.remote_field and getattr(f.remote_field, "parent_link", False))
    ]
    return [_row(detail, f, user=user) for f in fields]


# -- "My growth" -------------------------------------------------------------------------------


def get_growth_teacher(*, user, pk: int) -> Teacher:
    """A teacher whose growth the user may follow: staff of the teacher's school (principal,
    training office, committee), the district office, or the teacher themself."""
    teacher = (
        Teacher.objects.visible_to(user)
        .select_related("school__district", "group")
        .filter(pk=pk)
        .first()
    )
    if teacher is None:
        raise Http404
    return teacher


def teacher_records(*, user, teacher: Teacher) -> QuerySet[Record]:
    """The teacher's records the user may see: the teacher sees their drafts, others don't."""
    return Record.objects.visible_to(user).filter(teacher=teacher)


def _hide_archived(records: QuerySet[Record], filters: dict) -> QuerySet[Record]:
    if filters.get("archived") or filters.get("status") == Status.ARCHIVED:
        return records
    return records.exclude(status=Status.ARCHIVED)


def growth_timeline(*, user, teacher: Teacher, filters: dict) -> QuerySet[Record]:
    """The timeline, newest first; archived records only when asked for."""
    records = _hide_archived(teacher_records(user=user, teacher=teacher), filters)
    for name in ("kind", "year", "status"):
        if filters.get(name):
            records = records.filter(**{name: filters[name]})
    return records.annotate(
        file_count=Count("attachments", filter=Q(attachments__removed_at__isnull=True))
    ).order_by("-year", "-date", "-pk")


def growth_years(*, user, teacher: Teacher, current: int) -> list[int]:
    """The school years the teacher has records in, and the current one, newest first."""
    years = set(
        teacher_records(user=user, teacher=teacher)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(years | {current}, reverse=True)


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    verified: int
    total: int

    @property
    def icon(self) -> str:
        return KIND_ICONS.get(self.kind, "journal")


def growth_kind_counts(*, user, teacher: Teacher, filters: dict) -> list[KindCount]:
    """Verified and total records per kind (every kind, zeros included) in the selected
    school year, in one query; the kind and status filters don't narrow the counts."""
    records = _hide_archived(teacher_records(user=user, teacher=teacher), filters)
    if filters.get("year"):
        records = records.filter(year=filters["year"])
    rows = {
        row["kind"]: row
        for row in records.order_by()
        .values("kind")
        .annotate(total=Count("pk"), verified=Count("pk", filter=Q(status=Status.VERIFIED)))
    }
    return [
        KindCount(
            kind=value,
            label=label,
            verified=rows.get(value, {}).get("verified", 0),
            total=rows.get(value, {}).get("total", 0),
        )
        for value, label in Kind.choices
    ]


def growth_attention(*, user, teacher: Teacher) -> dict[str, list[Record]]:
    """What waits for the training office, and what came back with a reason."""
    records = teacher_records(user=user, teacher=teacher).order_by("-date", "-pk")
    return {
        "submitted": list(records.filter(status=Status.SUBMITTED)[:ATTENTION_LIMIT]),
        "returned": list(records.filter(status=Status.RETURNED)[:ATTENTION_LIMIT]),
    }


KIND_ICONS = {
    Kind.OPEN_CLASS: "easel",
    Kind.OBSERVATION: "eye",
    Kind.PAPER: "file-earmark-text",
    Kind.PROJECT: "kanban",
    Kind.LECTURE: "mic",
    Kind.TRAINING: "mortarboard",
    Kind.READING: "book",
    Kind.STUDY_TRIP: "geo-alt",
    Kind.PLAN: "signpost-split",
    Kind.REFLECTION: "chat-square-quote",
}

NEW_RECORD_HINTS = {
    Kind.OPEN_CLASS: _("A class given at school level or above"),
    Kind.OBSERVATION: _("A class you observed"),
    Kind.PAPER: _("A paper, case study, design or courseware"),
    Kind.PROJECT: _("A research project you lead or join"),
    Kind.LECTURE: _("A talk to a group, the staff or a forum"),
    Kind.TRAINING: _("Hours towards the yearly 72"),
    Kind.READING: _("A book and your reflection"),
    Kind.STUDY_TRIP: _("Study away and what you brought back"),
    Kind.PLAN: _("Your plan for the term"),
    Kind.REFLECTION: _("What a class taught you, written after it"),
}


def growth_summary(*, user, teacher: Teacher, year: int) -> dict:
    """The short version of "My growth" on the teacher's profile: this year's hours and
    counts by kind, and how many records wait or came back."""
    from ..hours import hours_for

    open_items = (
        teacher_records(user=user, teacher=teacher)
        .filter(status__in=[Status.SUBMITTED, Status.RETURNED])
        .aggregate(
            submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
            returned=Count("pk", filter=Q(status=Status.RETURNED)),
        )
    )
    return {
        "hours": hours_for(teacher=teacher, year=year),
        "hours_year_label": school_year_label(year),
        "counts": growth_kind_counts(user=user, teacher=teacher, filters={"year": year}),
        **open_items,
    }
