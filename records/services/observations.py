"""Class observations (听课记录) entered several at once: every row is checked before any is
saved, and all are saved in one transaction, so a bad row never leaves half a batch behind."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from teachers.models import Teacher

from ..models import Observation
from .workflow import record_save, record_submit


class RowErrors(ValidationError):
    """Errors by row number (0-based), each a ValidationError with a dict by field."""

    def __init__(self, rows: dict[int, ValidationError]):
        self.rows = rows
        super().__init__([message for error in rows.values() for message in error.messages])


@dataclass
class ObservationRow:
    date: datetime.date
    subject: str
    observed_teacher: Teacher | None = None
    observed_name: str = ""
    observed_school: str = ""
    class_name: str = ""
    rating: int | None = None
    notes: str = ""


def observable_teachers(*, teacher: Teacher) -> QuerySet[Teacher]:
    """Colleagues one can pick by name: active teachers of the observer's school."""
    return (
        Teacher.objects.filter(school_id=teacher.school_id, is_active=True)
        .exclude(pk=teacher.pk)
        .order_by("name", "pk")
    )


def _row_problems(row: ObservationRow, *, teacher: Teacher, today: datetime.date) -> dict:
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    name = row.observed_name.strip()
    if row.observed_teacher is not None and name:
        add("observed_name", _("Choose a teacher from the list or type a name, not both."))
    elif row.observed_teacher is None and not name:
        add("observed_teacher", _("Choose the observed teacher or type their name."))
    elif name and not row.observed_school.strip():
        add("observed_school", _("Give the school of a teacher from outside Gugan."))
    if row.observed_teacher is not None:
        if row.observed_teacher.pk == teacher.pk:
            add("observed_teacher", _("An observation is of someone else's class."))
        elif row.observed_teacher.school_id != teacher.school_id:
            add("observed_teacher", _("Choose a teacher of your school, or type the name."))
    if row.date > today:
        add("date", _("The date of an observation cannot be in the future."))
    return problems


def _build(row: ObservationRow, *, teacher: Teacher) -> Observation:
    observation = Observation(
        teacher=teacher,
        date=row.date,
        observed_teacher=row.observed_teacher,
        observed_name="" if row.observed_teacher else row.observed_name.strip(),
        observed_school="" if row.observed_teacher else row.observed_school.strip(),
        subject=row.subject.strip(),
        class_name=row.class_name.strip(),
        rating=row.rating,
        notes=row.notes.strip(),
    )
    # record_save validates before Observation.save() fills the title in.
    name = row.observed_teacher.name if row.observed_teacher else observation.observed_name
    observation.title = f"{name} · {observation.subject}"
    return observation


def observations_validate(*, teacher: Teacher, rows: list[ObservationRow]) -> list[Observation]:
    """Check every row; raise RowErrors naming each bad row, or return the unsaved records."""
    if not rows:
        raise ValidationError(_("Fill in at least one observation."))
    today = timezone.localdate()
    built, errors = [], {}
    for index, row in enumerate(rows):
        problems = _row_problems(row, teacher=teacher, today=today)
        observation = _build(row, teacher=teacher)
        try:
            observation.full_clean(exclude=["year"])  # record_save sets the school year
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                problems.setdefault(field, []).extend(messages)
        if problems:
            errors[index] = ValidationError(problems)
        built.append(observation)
    if errors:
        raise RowErrors(errors)
    return built


@transaction.atomic
def observations_create(
    *, teacher: Teacher, rows: list[ObservationRow], by: User, submit: bool = False
) -> list[Observation]:
    """Save all rows as drafts (or submit them all), or none of them."""
    if teacher.user_id != by.pk:
        raise PermissionDenied
    created = []
    for observation in observations_validate(teacher=teacher, rows=rows):
        record_save(record=observation, by=by)
        if submit:
            record_submit(record=observation, by=by)
        created.append(observation)
    return created
