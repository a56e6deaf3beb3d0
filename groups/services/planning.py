"""The semester plan, its weeks and its activities. A plan creates the group's programme of
activities (kind 教研活动) with the members enrolled; an activity is a published session of
it, so sign-in and the register are the training app's (training.ledger, training.signin)."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import check_day
from core.models import Semester, TeachingGroup
from core.upload_checks import check_file
from teachers.models import Teacher
from training.enrolling import enrolments_create
from training.models import Enrolment, Programme, Session
from training.services import session_publish, session_save

from ..models import Activity, ActivityAttachment, GroupSettings, PlannedWeek, SemesterPlan
from ..selectors import group_members, require_lead


def _programme_for(group: TeachingGroup, semester: Semester, by) -> Programme:
    rules = GroupSettings.for_school(group.school_id)
    programme = Programme(
        district_id=group.school.district_id,
        school=group.school,
        group=group,
        kind=Programme.Kind.GROUP_ACTIVITY,
        audience=Programme.Audience.NAMED,
        title=_("%(group)s activities, %(semester)s") % {"group": group, "semester": semester},
        start_date=semester.start_date,
        end_date=semester.end_date,
        hours_per_session=rules.activity_hours,
        school_based=rules.hours_school_based,
        created_by=by,
    )
    programme.full_clean(exclude=["year", "created_by"])
    programme.save()
    return programme


@transaction.atomic
def plan_create(
    *, group: TeachingGroup, semester: Semester, weekday: int, starts_at, ends_at, place: str,
    aims: str = "", by,
) -> SemesterPlan:  # fmt: skip
    require_lead(by, group)
    if semester.school_year.district_id != group.school.district_id:
        raise ValidationError({"semester": _("Choose a semester of the school's district.")})
    if SemesterPlan.objects.filter(group=group, semester=semester).exists():
        raise ValidationError({"semester": _("The group already has a plan for this semester.")})
    plan = SemesterPlan(
        group=group, semester=semester, weekday=weekday, starts_at=starts_at,
        ends_at=ends_at, place=place, aims=aims, created_by=by,
    )  # fmt: skip
    plan.full_clean(exclude=["programme", "created_by"])
    plan.programme = _programme_for(group, semester, by)
    plan.save()
    enrolments_create(
        programme=plan.programme,
        teacher_ids=list(group_members(group).values_list("pk", flat=True)),
        origin=Enrolment.Origin.NAMED,
    )
    return plan


@transaction.atomic
def plan_update(*, plan: SemesterPlan, weekday, starts_at, ends_at, place, aims, by):
    require_lead(by, plan.group)
    plan.weekday, plan.starts_at, plan.ends_at = weekday, starts_at, ends_at
    plan.place, plan.aims = place, aims
    plan.full_clean(exclude=["programme", "created_by"])
    plan.save()
    return plan


@transaction.atomic
def week_set(*, plan: SemesterPlan, week: int, theme: str, kind: str, by) -> PlannedWeek:
    """Plan (or re-plan) one teaching week: its theme and the kind of activity."""
    require_lead(by, plan.group)
    if not 1 <= week <= plan.week_count:
        raise ValidationError(
            {"week": _("The semester has %(count)d weeks.") % {"count": plan.week_count}}
        )
    row = PlannedWeek.objects.filter(plan=plan, week=week).first() or PlannedWeek(
        plan=plan, week=week
    )
    row.theme, row.kind = theme.strip(), kind
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def week_remove(*, week: PlannedWeek, by) -> None:
    require_lead(by, week.plan.group)
    if hasattr(week, "activity"):
        raise ValidationError(_("This week's activity is already set up; it stays planned."))
    week.delete()


def participants_add(*, plan: SemesterPlan, teachers, by) -> None:
    """Invite teachers beyond the group (e.g. a grade's other subjects) to its activities."""
    require_lead(by, plan.group)
    teachers = list(teachers)
    if any(t.school_id != plan.group.school_id for t in teachers):
        raise ValidationError(_("Only teachers of the school can be invited."))
    enrolments_create(
        programme=plan.programme,
        teacher_ids=[t.pk for t in teachers],
        origin=Enrolment.Origin.NAMED,
    )


@transaction.atomic
def activity_save(
    *, plan: SemesterPlan, activity: Activity | None = None, week: PlannedWeek | None,
    kind: str, theme: str, content: str, date: datetime.date, starts_at, ends_at, place: str,
    host: Teacher, by,
) -> Activity:  # fmt: skip
    """Set up (or change) an activity: its session is announced at once, so the QR sign-in
    and the register are ready on the day (三定: time, content and host fixed)."""
    require_lead(by, plan.group)
    check_day(date, future=True)
    if host.school_id != plan.group.school_id:
        raise ValidationError({"host": _("The host is a teacher of the school.")})
    if week is not None and week.plan_id != plan.pk:
        raise ValidationError({"week": _("Choose a week of this plan.")})
    taken = Activity.objects.filter(week=week).exclude(pk=activity.pk if activity else None)
    if week is not None and taken.exists():
        raise ValidationError({"week": _("This week already has its activity.")})
    session = activity.session if activity else Session(programme=plan.programme)
    session.programme = plan.programme
    session.theme, session.content, session.place = theme, content, place
    session.date, session.starts_at, session.ends_at = date, starts_at, ends_at
    session.speaker_teacher, session.speaker_name = host, ""
    session.module = str(dict(Activity._meta.get_field("kind").choices).get(kind, ""))[:100]
    session = session_save(session=session, by=by)
    if not session.is_published:
        session = session_publish(session=session, by=by)
    activity = activity or Activity(plan=plan, session=session, created_by=by)
    activity.week, activity.kind = week, kind
    activity.full_clean(exclude=["session", "created_by"])
    activity.save()
    return activity


@transaction.atomic
def activity_minutes_save(*, activity: Activity, minutes: str, follow_up: str, by) -> Activity:
    """活动记录: written once the activity has taken place."""
    require_lead(by, activity.plan.group)
    if activity.session.date > timezone.localdate():
        raise ValidationError(_("The minutes are written after the activity."))
    activity.minutes, activity.follow_up = minutes.strip(), follow_up.strip()
    activity.full_clean(exclude=["session", "created_by"])
    activity.save(update_fields=["minutes", "follow_up"])
    return activity


@transaction.atomic
def activity_file_add(*, activity: Activity, upload, by) -> ActivityAttachment:
    """Slides, photos, sign-in sheets: checked by content like every upload in Gugan."""
    require_lead(by, activity.plan.group)
    checked = check_file(
        upload, types=settings.RECORD_UPLOAD_TYPES, max_mb=settings.RECORD_UPLOAD_MAX_MB
    )
    if activity.attachments.filter(sha256=checked.sha256).exists():
        raise ValidationError(_("This file is already attached."))
    item = ActivityAttachment(
        activity=activity,
        token=secrets.token_hex(20),
        original_name=upload.name[-200:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    item.file.save(item.token, upload, save=False)
    item.save()
    return item
