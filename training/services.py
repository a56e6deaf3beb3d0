"""Every write about programmes, sessions and enrolment. Attendance and the hours it credits
are in training.ledger; the QR sign-in in training.signin."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.models import Designation
from core.models import SchoolYear
from core.wording import list_separator
from teachers.models import Teacher

from .enrolling import enrolments_create
from .models import Enrolment, Programme, Session


def _require_organiser(programme: Programme, by) -> None:
    if programme.pk and not Programme.objects.editable_by(by).filter(pk=programme.pk).exists():
        raise PermissionDenied
    if programme.pk is None:
        scope = by.scope
        allowed = scope.is_superuser or (
            scope.can_manage_school(programme.school_id)
            if programme.school_id
            else programme.district_id in scope.district_ids
        )
        if not allowed:
            raise PermissionDenied


def _check_period(programme: Programme) -> None:
    """A programme lies inside one school year of its district."""
    year = SchoolYear.objects.filter(
        district_id=programme.district_id,
        start_date__lte=programme.start_date,
        end_date__gte=programme.start_date,
    ).first()
    if year is None:
        raise ValidationError(
            {"start_date": _("No school year of the district contains this date.")}
        )
    if programme.end_date > year.end_date:
        raise ValidationError(
            {
                "end_date": _(
                    "The programme must end within the school year %(year)s (by %(end)s)."
                )
                % {"year": year.label, "end": year.end_date.isoformat()}
            }
        )


@transaction.atomic
def programme_save(*, programme: Programme, by, tiers=None, groups=None) -> Programme:
    if programme.school_id and not programme.district_id:
        programme.district_id = programme.school.district_id
    _require_organiser(programme, by)
    programme.full_clean(exclude=["year", "created_by"])
    _check_period(programme)
    if programme.pk is not None:
        outside = programme.sessions.exclude(
            date__gte=programme.start_date, date__lte=programme.end_date
        )
        if outside.exists():
            raise ValidationError(_("Some sessions fall outside the new period: move them first."))
    if programme.created_by_id is None:
        programme.created_by = by
    programme.save()
    if tiers is not None:
        programme.audience_tiers.set(tiers)
    if groups is not None:
        programme.audience_groups.set(groups)
    return programme


def _session_errors(session: Session) -> None:
    programme = session.programme
    if session.date and not programme.start_date <= session.date <= programme.end_date:
        raise ValidationError(
            {
                "date": _(
                    "The session must be within the programme's period (%(start)s – %(end)s)."
                )
                % {"start": programme.start_date.isoformat(), "end": programme.end_date.isoformat()}
            }
        )
    if session.speaker_teacher_id and session.speaker_name:
        raise ValidationError(
            {"speaker_name": _("Give either a teacher in Gugan or an outside expert, not both.")}
        )


@transaction.atomic
def session_save(*, session: Session, by) -> Session:
    _require_organiser(session.programme, by)
    if session.hours is None:
        session.hours = session.programme.hours_per_session
    session.full_clean(exclude=["code"])
    _session_errors(session)
    if session.is_published:
        _check_publishable(session)  # a published session keeps its time, content, speaker
    session.save()
    return session


def _check_publishable(session: Session) -> None:
    """三定: time, content and speaker fixed before a session is announced."""
    missing = []
    if not (session.content or "").strip():
        missing.append(_("content"))
    if not session.speaker:
        missing.append(_("speaker"))
    if not (session.date and session.starts_at and session.ends_at):
        missing.append(_("time"))
    if missing:
        raise ValidationError(
            _(
                "A session is published only when its time, content and speaker are set; "
                "missing: %(missing)s."
            )
            % {"missing": list_separator().join(missing)}
        )


@transaction.atomic
def session_publish(*, session: Session, by) -> Session:
    _require_organiser(session.programme, by)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_published:
        return session  # a second click
    _check_publishable(session)
    session.published_at = timezone.now()
    session.save(update_fields=["published_at"])
    return session


# -- enrolment -------------------------------------------------------------------------------
def audience_teachers(programme: Programme):
    """The teachers the programme's audience rule names, on staff today."""
    teachers = Teacher.objects.filter(is_active=True)
    if programme.school_id:
        teachers = teachers.filter(school_id=programme.school_id)
    else:
        teachers = teachers.filter(school__district_id=programme.district_id)
    audience = programme.audience
    if audience == Programme.Audience.TIERS:
        holders = Designation.objects.current().filter(tier__in=programme.audience_tiers.all())
        teachers = teachers.filter(pk__in=holders.values("teacher_id"))
    elif audience == Programme.Audience.GROUPS:
        teachers = teachers.filter(group__in=programme.audience_groups.all())
    elif audience == Programme.Audience.NAMED:
        teachers = teachers.none()
    return teachers


def _enrol(programme: Programme, teachers, origin: str) -> int:
    already = set(programme.enrolments.values_list("teacher_id", flat=True))
    new = [t for t in teachers if t.pk not in already]
    if programme.capacity is not None:
        room = programme.capacity - programme.enrolments.active().count()
        if len(new) > room:
            raise ValidationError(
                _("The programme has room for %(room)d more trainees; %(count)d were given.")
                % {"room": max(room, 0), "count": len(new)}
            )
    enrolments_create(programme=programme, teacher_ids=[t.pk for t in new], origin=origin)
    return len(new)


@transaction.atomic
def enrol_audience(*, programme: Programme, by) -> int:
    """Enrol everyone the audience rule names who is not enrolled yet; returns how many."""
    _require_organiser(programme, by)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    return _enrol(programme, list(audience_teachers(programme)), Enrolment.Origin.AUDIENCE)


def nominating_school_ids(*, programme: Programme, by) -> set[int]:
    """The schools whose teachers ``by`` may nominate to a district programme (名额 within
    the quota): the schools of the district they manage."""
    if not programme.is_district:
        return set()
    return set(
        by.scope.schools(write=True)
        .filter(district_id=programme.district_id)
        .values_list("pk", flat=True)
    )


def _check_quota(programme: Programme, teachers: list[Teacher]) -> None:
    if programme.quota_per_school is None:
        return
    taken = {}
    for school_id in programme.enrolments.active().values_list("teacher__school_id", flat=True):
        taken[school_id] = taken.get(school_id, 0) + 1
    already = set(programme.enrolments.values_list("teacher_id", flat=True))
    for teacher in teachers:
        if teacher.pk in already:
            continue
        taken[teacher.school_id] = taken.get(teacher.school_id, 0) + 1
        if taken[teacher.school_id] > programme.quota_per_school:
            raise ValidationError(
                _("%(school)s has %(quota)d places in this programme.")
                % {"school": teacher.school.name, "quota": programme.quota_per_school}
            )


@transaction.atomic
def enrol_teachers(*, programme: Programme, teachers, by) -> int:
    """Enrol by name: the organiser anyone of its scope; for a district programme, a school's
    principal or training office their own teachers within the school's quota."""
    teachers = list(teachers)
    organiser = Programme.objects.editable_by(by).filter(pk=programme.pk).exists()
    if organiser:
        allowed = audience_teachers(
            Programme(school_id=programme.school_id, district_id=programme.district_id)
        )
    else:
        schools = nominating_school_ids(programme=programme, by=by)
        if not schools:
            raise PermissionDenied
        allowed = Teacher.objects.filter(is_active=True, school_id__in=schools)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if allowed.filter(pk__in=[t.pk for t in teachers]).count() != len(set(teachers)):
        raise PermissionDenied  # a teacher of another school or district
    if programme.is_district:
        _check_quota(programme, teachers)
    return _enrol(programme, teachers, Enrolment.Origin.NAMED)
