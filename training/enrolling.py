"""Enrolments are made here, one at a time or in bulk: each trainee is an entrant on the
programme's scoring panel (the trainee assessment), which ``bulk_create`` would skip."""

from collections.abc import Iterable

from scoring.models import Entrant
from scoring.services.panels import entrants_add
from teachers.models import Teacher

from .models import Enrolment, Programme


def enrolments_create(
    *, programme: Programme, teacher_ids: Iterable[int], origin: str, **fields
) -> None:
    """Enrol the teachers (a second click or two tabs at once enrol nobody twice)."""
    logins = dict(Teacher.objects.filter(pk__in=list(teacher_ids)).values_list("pk", "user_id"))
    teacher_ids = list(logins)
    entrants = entrants_add(panel=programme.panel, users=[logins[t] for t in teacher_ids])
    Enrolment.objects.bulk_create(
        [
            Enrolment(programme=programme, teacher_id=t, origin=origin, entrant=e, **fields)
            for t, e in zip(teacher_ids, entrants, strict=True)
        ],
        ignore_conflicts=True,
    )
    # A conflict left its entrant without a trainee: it must not wait for a score.
    Entrant.objects.filter(panel=programme.panel, enrolment__isnull=True).delete()
