"""One engine for the bureau's hours, pushed or imported: ``hours_check`` reads every entry
(formats with ``PushedEntrySerializer``, then the teacher, the date and the external id) and
``hours_write`` writes them all in one transaction, or nothing when any entry is wrong.

A retry changes nothing: the external id is the record's source key, so the same entry lands
on the same record (records.services.credits), and an entry identical to its record is not
written again."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.dates import check_day
from core.models import School
from core.scoping import Scope
from records.models import Level, Status, Training
from records.services.credits import training_credit
from teachers.models import Teacher

from .sources import EXTERNAL_ID_MAX, EXTERNAL_ID_PATTERN, bureau_source

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
LEVELS = {
    "school": Level.SCHOOL,
    "district": Level.DISTRICT,
    "municipal": Level.MUNICIPAL,
    "provincial": Level.PROVINCIAL,
    "national": Level.NATIONAL,
}


class PushedEntrySerializer(serializers.Serializer):
    external_id = serializers.RegexField(
        EXTERNAL_ID_PATTERN,
        max_length=EXTERNAL_ID_MAX,
        help_text=gettext_lazy("The platform's own id of this entry: a retry sends it again."),
        error_messages={"invalid": gettext_lazy("Use letters, digits, “.”, “_”, “:” or “-”.")},
    )
    school = serializers.CharField(
        max_length=20, help_text=gettext_lazy("The school's code, as Gugan knows it.")
    )
    staff_no = serializers.CharField(max_length=30)
    name = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("When given, it must match the teacher's name."),
    )
    course = serializers.CharField(max_length=200)
    date = serializers.DateField()
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal("200")
    )
    school_based = serializers.BooleanField(default=False)
    organiser_level = serializers.ChoiceField(choices=list(LEVELS), default="district")

    def validate_date(self, value):
        try:
            check_day(value, future=False)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return value

    def validate_course(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("Give the course."))
        return value.strip()


@dataclass
class Planned:
    teacher: Teacher
    values: dict
    action: str
    record_id: int | None = None


@dataclass
class Checked:
    """Entries checked: each one's errors (a dict per entry, empty when it is right) and, when
    all are right, what each will do."""

    errors: list[dict] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(self.errors)

    def count(self, action: str) -> int:
        return sum(1 for p in self.planned if p.action == action)


def push_schools(scope: Scope):
    """The schools whose teachers' hours the user may push: those they manage, and every school
    of their district office."""
    if scope.is_superuser:
        return School.objects.all()
    return School.objects.filter(
        Q(pk__in=scope.managed_school_ids) | Q(district_id__in=scope.district_ids)
    )


def _teachers(user, rows: list[dict]) -> dict[tuple[str, str], Teacher]:
    wanted = {(r["school"], r["staff_no"]) for r in rows}
    found = Teacher.objects.filter(
        school__in=push_schools(user.scope),
        school__code__in={s for s, _n in wanted},
        staff_no__in={n for _s, n in wanted},
    ).select_related("school__district")
    return {(t.school.code, t.staff_no): t for t in found}


def _existing(sources: list[str]) -> dict[str, Training]:
    return {t.source: t for t in Training.objects.filter(source__in=sources)}


def _values(row: dict) -> dict:
    return {
        "course": row["course"][:200],
        "date": row["date"],
        "hours": Decimal(row["hours"]),
        "school_based": row["school_based"],
        "organiser_level": LEVELS[row["organiser_level"]],
    }


def _action(record: Training | None, values: dict) -> str:
    if record is None:
        return CREATED
    same = all(getattr(record, k) == v for k, v in values.items())
    return UNCHANGED if same and record.status == Status.VERIFIED else UPDATED


def hours_check(*, user, entries: list) -> Checked:
    """Check every entry (dicts as sent); nothing is written."""
    checked = Checked()
    rows: list[dict | None] = []
    for entry in entries:
        serializer = PushedEntrySerializer(data=entry)
        if serializer.is_valid():
            rows.append(dict(serializer.validated_data))
            checked.errors.append({})
        else:
            rows.append(None)
            checked.errors.append({k: [str(m) for m in v] for k, v in serializer.errors.items()})
    good = [r for r in rows if r is not None]
    teachers = _teachers(user, good)
    existing = _existing([bureau_source(r["external_id"]) for r in good])
    known_schools = set(push_schools(user.scope).filter(code__in={r["school"] for r in good})
                        .values_list("code", flat=True))  # fmt: skip
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        if row is None:
            continue
        errors = checked.errors[index]
        teacher = teachers.get((row["school"], row["staff_no"]))
        if row["school"] not in known_schools:
            errors["school"] = [_("No school with this code among the schools you manage.")]
        elif teacher is None:
            errors["staff_no"] = [_("No teacher with this staff number at the school.")]
        elif row.get("name") and row["name"].strip() != teacher.name:
            errors["name"] = [
                _("The name does not match the teacher's (%(name)s).") % {"name": teacher.name}
            ]
        external_id = row["external_id"]
        if external_id in seen:
            errors["external_id"] = [
                _("This id is already used by entry %(n)d of the batch.") % {"n": seen[external_id]}
            ]
        seen.setdefault(external_id, index + 1)
        record = existing.get(bureau_source(external_id))
        if record is not None and teacher is not None and record.teacher_id != teacher.pk:
            errors["external_id"] = [_("This id was already sent for another teacher.")]
        if not errors and teacher is not None:
            values = _values(row)
            checked.planned.append(
                Planned(
                    teacher=teacher,
                    values={**values, "source": bureau_source(external_id)},
                    action=_action(record, values),
                    record_id=record.pk if record else None,
                )
            )
    if not checked.ok:
        checked.planned = []
    return checked


@transaction.atomic
def hours_write(*, checked: Checked, by) -> list[Planned]:
    """Write what ``hours_check`` planned: all of it, in one transaction."""
    if not checked.ok:
        raise ValueError("a batch with errors is not written")
    for planned in checked.planned:
        if planned.action == UNCHANGED:
            continue
        values = dict(planned.values)
        record = training_credit(teacher=planned.teacher, by=by, **values)
        planned.record_id = record.pk
    return checked.planned


def hours_push(*, user, entries: list) -> Checked:
    """Check the batch and, when every entry is right, write it."""
    checked = hours_check(user=user, entries=entries)
    if checked.ok:
        hours_write(checked=checked, by=user)
    return checked
