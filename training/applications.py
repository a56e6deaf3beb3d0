"""Enrolment by application: a teacher of the audience applies to a programme open for
application, with an optional note; the organiser approves or declines with a reason. For a
district programme the teacher's school decides within its quota (名额), and the district
office, the organiser, may decide too and sees every school's applications. Approving goes
through the same enrolment as enrolling by name (capacity and quota, one place per teacher)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.models import Designation
from teachers.models import Teacher

from .models import Application, Enrolment, Programme
from .selectors import can_edit
from .services import _check_quota, _enrol, nominating_school_ids


def in_audience(programme: Programme, teacher: Teacher, tier_ids: set[int]) -> bool:
    """Whether the programme's audience rule names the teacher, from prefetched tiers and
    groups (``tier_ids``: the tiers the teacher holds now): no query per programme."""
    if not teacher.is_active:
        return False
    if programme.school_id and programme.school_id != teacher.school_id:
        return False
    if not programme.school_id and programme.district_id != teacher.school.district_id:
        return False
    audience = programme.audience
    if audience == Programme.Audience.TIERS:
        return bool(tier_ids & {t.pk for t in programme.audience_tiers.all()})
    if audience == Programme.Audience.GROUPS:
        return teacher.group_id in {g.pk for g in programme.audience_groups.all()}
    return audience == Programme.Audience.ALL_STAFF


def held_tier_ids(teacher: Teacher) -> set[int]:
    held = Designation.objects.current().filter(teacher=teacher)
    return set(held.values_list("tier_id", flat=True))


def open_programmes(*, teacher: Teacher, today=None) -> list[Programme]:
    """The programmes the teacher may apply to now: open for application, not over, their
    audience, not applied to nor enrolled in yet. A fixed number of queries."""
    today = today or timezone.localdate()
    programmes = Programme.objects.filter(
        Q(school_id=teacher.school_id)
        | Q(school__isnull=True, district_id=teacher.school.district_id),
        open_for_application=True,
        end_date__gte=today,
    ).values_list("pk", flat=True)
    ids = list(programmes)
    taken = set(
        Enrolment.objects.filter(teacher=teacher, programme_id__in=ids).values_list(
            "programme_id", flat=True
        )
    ) | set(
        Application.objects.filter(teacher=teacher, programme_id__in=ids).values_list(
            "programme_id", flat=True
        )
    )
    candidates = (
        Programme.objects.filter(pk__in=set(ids) - taken)
        .select_related("school", "district")
        .prefetch_related("audience_tiers", "audience_groups")
        .order_by("start_date", "pk")
    )
    tiers = held_tier_ids(teacher)
    return [p for p in candidates if in_audience(p, teacher, tiers)]


def my_applications(*, teacher: Teacher) -> QuerySet[Application]:
    return (
        Application.objects.filter(teacher=teacher)
        .select_related("programme")
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def application_submit(*, programme: Programme, teacher: Teacher, note: str = "") -> Application:
    """Apply; a second click, a second tab or a retried request finds the first application."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    existing = Application.objects.filter(programme=programme, teacher=teacher).first()
    if existing is not None:
        return existing
    if not programme.open_for_application or programme.end_date < timezone.localdate():
        raise ValidationError(_("This programme does not take applications."))
    if not in_audience(programme, teacher, held_tier_ids(teacher)):
        raise PermissionDenied
    if programme.enrolments.filter(teacher=teacher).exists():
        raise ValidationError(_("You are already enrolled in this programme."))
    application = Application(programme=programme, teacher=teacher, note=(note or "").strip())
    application.full_clean(exclude=["decided_by"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        return Application.objects.get(programme=programme, teacher=teacher)
    return application


def may_decide(*, application: Application, by) -> bool:
    """The organiser; for a district programme also the managers of the teacher's school."""
    programme = application.programme
    if can_edit(by, programme):
        return True
    return application.teacher.school_id in nominating_school_ids(programme=programme, by=by)


@transaction.atomic
def application_decide(
    *, application: Application, approve: bool, by, reason: str = ""
) -> Application:
    """Approve (enrol, within capacity and quota) or decline (with a reason). Deciding twice
    changes nothing: the first decision stands."""
    if not may_decide(application=application, by=by):
        raise PermissionDenied
    programme = Programme.objects.select_for_update().get(pk=application.programme_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.PENDING:
        return application
    reason = (reason or "").strip()[:200]
    if approve:
        teacher = application.teacher
        if programme.is_district:
            _check_quota(programme, [teacher])
        _enrol(programme, [teacher], Enrolment.Origin.APPLICATION)
        application.status = Application.Status.APPROVED
    else:
        if not reason:
            raise ValidationError({"reason": _("Give the reason for declining.")})
        application.status = Application.Status.DECLINED
    application.decision_reason = reason
    application.decided_by, application.decided_at = by, timezone.now()
    application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    return application


def applications_for(*, user, programme: Programme) -> list[Application]:
    """The applications the user may decide or read on the programme page: the organiser's
    every school's, a school's staff their own teachers'."""
    from .selectors import visible_teachers

    return list(
        programme.applications.filter(teacher__in=visible_teachers(user=user, programme=programme))
        .select_related("teacher__school", "decided_by")
        .order_by("status", "created_at", "pk")
    )
