"""Bulk inserts of multi-table children: records are children of ``Record``, which
``bulk_create`` refuses, so the parent rows are bulk-created first and the child rows next.
"""

from collections import defaultdict

from django.db import connection

from core.models import school_year_label
from records.models import (
    Lecture,
    Observation,
    OpenClass,
    Paper,
    ReadingNote,
    Record,
    ResearchProject,
    SelfDevelopmentPlan,
    StudyTrip,
    TeachingReflection,
    Training,
)

from .context import chunked

PARENT_FIELDS = [f for f in Record._meta.concrete_fields if not f.primary_key]
TITLE_FIELDS = {
    OpenClass: "topic",
    Paper: "paper_title",
    ResearchProject: "project_title",
    Lecture: "topic",
    Training: "course",
    ReadingNote: "book",
    StudyTrip: "destination",
    TeachingReflection: "lesson",
}
KINDS = {
    OpenClass: "open_class",
    Observation: "observation",
    Paper: "paper",
    ResearchProject: "project",
    Lecture: "lecture",
    Training: "training",
    ReadingNote: "reading",
    StudyTrip: "study_trip",
    SelfDevelopmentPlan: "plan",
    TeachingReflection: "reflection",
}


def with_kind_and_title(record: Record) -> Record:
    """What each kind's save() would set: the kind and the title shown in lists."""
    model = type(record)
    record.kind = KINDS[model]
    if model is Observation:
        record.title = f"{record._observed_name} · {record.subject}"
    elif model is SelfDevelopmentPlan:
        first, last = school_year_label(record.first_year), school_year_label(record.last_year)
        record.title = f"{first} – {last}"
    else:
        record.title = getattr(record, TITLE_FIELDS[model])
    return record


def bulk_create_records(records: list[Record], batch_size: int = 2000) -> None:
    """Insert records of any kinds: parent rows with bulk_create (their ids come back), then
    each kind's child rows, pointing at their parent, in batches."""
    parents = [Record(**{f.attname: getattr(r, f.attname) for f in PARENT_FIELDS}) for r in records]
    Record.objects.bulk_create(parents, batch_size=batch_size)
    by_model: dict[type, list[Record]] = defaultdict(list)
    for record, parent in zip(records, parents, strict=True):
        record.pk = record.id = parent.pk  # the parent link is the child's primary key
        record.created_at, record.updated_at = parent.created_at, parent.updated_at
        by_model[type(record)].append(record)
    for model, rows in by_model.items():
        for row in rows:
            follow = getattr(row, "_follow_up", None)
            if follow is not None:
                row.follow_up_id = follow.pk
        fields = list(model._meta.local_concrete_fields)
        size = min(batch_size, connection.ops.bulk_batch_size(fields, rows) or batch_size)
        for batch in chunked(rows, size):
            model._base_manager._insert(batch, fields=fields, using=connection.alias)
