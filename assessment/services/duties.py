"""Writes about duties: default templates, changing a duty from a school year on, reminders
and the digest, and opening a new school year."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backbone.models import Designation, Tier
from backbone.services.designations import designations_expire
from core.models import (
    District,
    Role,
    RoleAssignment,
    School,
    SchoolYear,
    Semester,
    school_year_start,
)
from mentoring.models import Pairing
from teachers.models import Teacher
from teachers.stages import GrowthStage

from ..duties import (
    DutyState,
    DutyStatus,
    backbone_teachers,
    default_semester_dates,
    default_year_dates,
    duty_statuses,
    stage_teachers,
    worst_rank,
)
from ..models import DutyKind, DutyReminder, DutyTemplate, Period

# -- defaults -------------------------------------------------------------------------------
# kind, required, period, min level, school-based hours, core duty, per tier level (1 school,
# 2 district, 3 municipal, 4 provincial): DOMAIN.md "Duties of a backbone teacher each year".
YEAR, SEMESTER, TERM, MONTH, WEEK = (
    Period.YEAR, Period.SEMESTER, Period.TERM, Period.MONTH, Period.WEEK
)  # fmt: skip


def default_duties(level: int) -> list[tuple]:
    district_up = level >= 2
    return [
        (DutyKind.OPEN_CLASS, 1, YEAR, 2 if district_up else 1, None, False),
        (DutyKind.PAPER, 1, YEAR, 2 if level >= 3 else None, None, False),
        (DutyKind.PROJECT_LED, 1, TERM, None, None, False)
        if district_up
        else (DutyKind.PROJECT, 1, TERM, None, None, False),
        (DutyKind.LECTURE, 1, YEAR, None, None, False),
        (DutyKind.MENTORING, 3, TERM, None, None, False)
        if district_up
        else (DutyKind.MENTORING, 1, YEAR, None, None, False),
        (DutyKind.OBSERVATIONS, 10, SEMESTER, None, None, False),
        (
            DutyKind.TRAINING_HOURS,
            settings.TRAINING_HOURS_PER_YEAR,
            YEAR,
            None,
            settings.TRAINING_SCHOOL_BASED_HOURS,
            True,
        ),
        (DutyKind.READING, 1, MONTH, None, None, False),
        (DutyKind.COURSEWARE, 1, SEMESTER, None, None, False),
        (DutyKind.DUTY_REPORT, 1, YEAR, None, None, True),
    ]


# Young teachers who are not yet backbone (计划5/6 §7): a research class and a paper or case
# each semester, a teaching reflection each week, in the adaptation and stable stages.
STAGE_DUTIES = {
    GrowthStage.ADAPTATION: [
        (DutyKind.RESEARCH_CLASS, 1, SEMESTER),
        (DutyKind.REFLECTION, 1, WEEK),
        (DutyKind.WRITING, 1, SEMESTER),
    ],
    GrowthStage.STABLE: [
        (DutyKind.RESEARCH_CLASS, 1, SEMESTER),
        (DutyKind.REFLECTION, 1, WEEK),
        (DutyKind.WRITING, 1, SEMESTER),
    ],
}


def _valid_in(year: int) -> Q:
    return Q(valid_from__lte=year) & (Q(valid_until__isnull=True) | Q(valid_until__gte=year))


@transaction.atomic
def duty_templates_ensure_defaults(*, district: District, year: int) -> int:
    """Make sure every tier of the district, and the growth stages of STAGE_DUTIES, have their
    default duties in ``year``; a duty the district already has (in force that year) is left
    alone. Returns how many were created."""
    existing = set(
        DutyTemplate.objects.filter(_valid_in(year), district=district, school=None).values_list(
            "tier_id", "kind"
        )
    )
    existing_stage = set(
        DutyTemplate.objects.filter(
            _valid_in(year), district=district, school=None, tier=None
        ).values_list("stage", "kind")
    )
    later = defaultdict(list)
    for tier_id, stage, kind, valid_from in DutyTemplate.objects.filter(
        district=district, school=None, valid_from__gt=year
    ).values_list("tier_id", "stage", "kind", "valid_from"):
        later[tier_id or stage, kind].append(valid_from)
    created = []
    for stage, duties in STAGE_DUTIES.items():
        for kind, required, period in duties:
            if (stage, kind) in existing_stage:
                continue
            until = min(later[stage, kind]) - 1 if later[stage, kind] else None
            created.append(
                DutyTemplate(
                    district=district,
                    stage=stage,
                    kind=kind,
                    required=Decimal(required),
                    period=period,
                    valid_from=year,
                    valid_until=until,
                )
            )
    for tier in Tier.objects.filter(district=district, kind=Tier.Kind.TIER):
        for kind, required, period, min_level, school_based, core in default_duties(tier.level):
            if (tier.pk, kind) in existing:
                continue
            # A row already planned for a later year keeps its place.
            until = min(later[tier.pk, kind]) - 1 if later[tier.pk, kind] else None
            created.append(
                DutyTemplate(
                    district=district,
                    tier=tier,
                    kind=kind,
                    required=Decimal(required),
                    period=period,
                    min_level=min_level,
                    min_school_based=school_based,
                    is_core=core,
                    valid_from=year,
                    valid_until=until,
                )
            )
    DutyTemplate.objects.bulk_create(created)
    return len(created)


# -- changing a duty --------------------------------------------------------------------------
CHANGEABLE = ("required", "period", "min_level", "min_school_based", "is_core", "note")


@transaction.atomic
def duty_template_change(
    *, template: DutyTemplate, school: School | None, from_year: int, data: dict, today=None
) -> DutyTemplate:
    """Change a duty from ``from_year`` on. Earlier years keep the old row: it is closed
    (valid_until = from_year - 1) and a new one is added. With ``school`` set and a district
    default given, the school gets its own row from that year and the default stays.

    A row that starts in ``from_year`` has no past yet and is updated in place."""
    today = today or timezone.localdate()
    template = DutyTemplate.objects.select_for_update().get(pk=template.pk)
    if from_year < school_year_start(today):
        raise ValidationError(
            {"from_year": _("A change cannot start in a school year that has already begun.")}
        )
    if template.valid_until is not None and template.valid_until < from_year:
        raise ValidationError(_("This duty is no longer in force; change the current one."))
    if from_year < template.valid_from:
        raise ValidationError(
            {"from_year": _("A change cannot start before the duty itself starts.")}
        )
    own_row = template.school_id == (school.pk if school else None)
    if own_row and from_year == template.valid_from:
        for name in CHANGEABLE:
            setattr(template, name, data.get(name, getattr(template, name)))
        template.full_clean()
        template.save()
        return template
    new = DutyTemplate(
        district=template.district,
        school=school,
        tier=template.tier,
        stage=template.stage,
        kind=template.kind,
        valid_from=from_year,
        valid_until=template.valid_until if own_row else None,
    )
    for name in CHANGEABLE:
        setattr(new, name, data.get(name, getattr(template, name)))
    if own_row:
        template.valid_until = from_year - 1
        template.save(update_fields=["valid_until"])
    else:
        # The school's own row, if any, ends where the new one starts.
        DutyTemplate.objects.filter(
            _valid_in(from_year),
            school=school,
            tier=template.tier,
            stage=template.stage,
            kind=template.kind,
        ).update(valid_until=from_year - 1)
    new.full_clean()
    new.save()
    return new


# -- reminders and digest ---------------------------------------------------------------------
def _reminder_weeks(weeks_before: int | None) -> int:
    if weeks_before is not None:
        return weeks_before
    return getattr(settings, "DUTY_REMINDER_WEEKS", 4)


def current_semester(*, district_id: int, today: datetime.date) -> int | None:
    """The number of the semester containing ``today``, None between semesters."""
    year = school_year_start(today)
    semesters = {
        s.number: (s.start_date, s.end_date)
        for s in Semester.objects.filter(
            school_year__district_id=district_id, school_year__start_year=year
        )
    }
    for number in (1, 2):
        start, end = semesters.get(number) or default_semester_dates(year, number)
        if start <= today <= end:
            return number
    return None


def _teacher_email(teacher: Teacher) -> str:
    return teacher.email or (teacher.user.email if teacher.user_id else "")


def _teacher_language(teacher: Teacher) -> str:
    return (teacher.user.language if teacher.user_id else "") or teacher.school.language


def _statuses_by_district(*, today: datetime.date):
    """(school, teachers, statuses) for every school, per district's current semester."""
    year = school_year_start(today)
    # Backbone teachers, and young teachers with the duties of their growth stage.
    teachers = [*backbone_teachers(year=year), *stage_teachers(year=year)]
    teachers.sort(key=lambda t: (t.school_id, t.staff_no))
    by_district = defaultdict(list)
    for teacher in teachers:
        by_district[teacher.school.district_id].append(teacher)
    for district_id, group in by_district.items():
        semester = current_semester(district_id=district_id, today=today)
        statuses = duty_statuses(teachers=group, year=year, semester=semester, today=today)
        yield group, statuses


def duty_reminders_send(*, today=None, weeks_before: int | None = None) -> int:
    """Email each backbone teacher the duties not yet met whose period ends within
    ``weeks_before`` weeks (settings.DUTY_REMINDER_WEEKS, default 4). Each teacher, duty and
    period is reminded once: the DutyReminder rows are created before sending, in the same
    transaction, so a failed send is retried next time and a second run sends nothing.
    Returns the number of emails sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(weeks=_reminder_weeks(weeks_before))
    sent = 0
    for teachers, statuses in _statuses_by_district(today=today):
        for teacher in teachers:
            address = _teacher_email(teacher)
            due = [
                s
                for s in statuses[teacher.pk]
                if s.status in (DutyState.AT_RISK, DutyState.ON_TRACK)
                and today <= s.period_end <= horizon
            ]
            if not address or not due:
                continue
            sent += _remind(teacher=teacher, address=address, due=due)
    return sent


def _remind(*, teacher: Teacher, address: str, due: list[DutyStatus]) -> int:
    with transaction.atomic():
        new = []
        for status in due:
            _reminder, created = DutyReminder.objects.get_or_create(
                teacher=teacher, template=status.template, period_key=status.period_key
            )
            if created:
                new.append(status)
        if not new:
            return 0
        with translation.override(_teacher_language(teacher)):
            context = {"teacher": teacher, "statuses": new}
            subject = _("Gugan: duties to complete before the period ends")
            body = render_to_string("assessment/duties/email/reminder.txt", context)
        send_mail(subject, body, None, [address])
    return 1


def duty_digest_send(*, today=None) -> int:
    """The weekly digest: each school's training office hears who is behind (at risk or
    missed) on which duty. Returns the number of emails sent."""
    today = today or timezone.localdate()
    behind_by_school = defaultdict(list)
    for teachers, statuses in _statuses_by_district(today=today):
        for teacher in teachers:
            behind = [
                s for s in statuses[teacher.pk] if s.status in (DutyState.AT_RISK, DutyState.MISSED)
            ]
            if behind:
                behind_by_school[teacher.school].append((teacher, behind))
    if not behind_by_school:
        return 0
    recipients = defaultdict(list)
    for ra in RoleAssignment.objects.filter(
        role=Role.TRAINING_OFFICE, school__in=list(behind_by_school)
    ).select_related("user"):
        if ra.user.email and ra.user.is_active:
            recipients[ra.school_id].append(ra.user)
    sent = 0
    for school, rows in behind_by_school.items():
        rows.sort(key=lambda row: worst_rank(row[1]))
        for user in recipients[school.pk]:
            with translation.override(user.language or school.language):
                context = {"school": school, "rows": rows, "user": user}
                subject = _("Gugan: backbone teachers behind on their duties (%(school)s)") % {
                    "school": school.name
                }
                body = render_to_string("assessment/duties/email/digest.txt", context)
            send_mail(subject, body, None, [user.email])
            sent += 1
    return sent


# -- new school year ----------------------------------------------------------------------
@dataclass
class SchoolYearOpened:
    district: District
    school_year: SchoolYear
    year_created: bool
    semesters_created: int
    templates_created: int
    templates_in_force: int
    designations_expired: int
    pairings_kept: int

    @property
    def changed(self) -> bool:
        return bool(
            self.year_created
            or self.semesters_created
            or self.templates_created
            or self.designations_expired
        )

    def lines(self) -> list[str]:
        label = self.school_year.label
        return [
            _("School year %(year)s created.") % {"year": label}
            if self.year_created
            else _("School year %(year)s already existed.") % {"year": label},
            _("Semesters created: %(count)d.") % {"count": self.semesters_created},
            _("Default duties created: %(count)d; duties in force: %(total)d.")
            % {"count": self.templates_created, "total": self.templates_in_force},
            _("Designations whose term ended, now expired: %(count)d.")
            % {"count": self.designations_expired},
            _("Active mentoring pairings kept: %(count)d.") % {"count": self.pairings_kept},
        ]


@transaction.atomic
def school_year_open(
    *, district: District, start_year: int, school: School | None = None, today=None
) -> SchoolYearOpened:
    """Open a school year for a district: the year and its two semesters if missing, the
    default duties (templates without an end simply carry on), designations whose term has
    ended expired; pairings are left as they are. Running it again changes nothing.
    ``school`` narrows the counts reported to one school."""
    today = today or timezone.localdate()
    start, end = default_year_dates(start_year)
    school_year, year_created = SchoolYear.objects.get_or_create(
        district=district, start_year=start_year, defaults={"start_date": start, "end_date": end}
    )
    semesters_created = 0
    for number in (1, 2):
        first, last = default_semester_dates(start_year, number)
        _semester, created = Semester.objects.get_or_create(
            school_year=school_year,
            number=number,
            defaults={"start_date": first, "end_date": last},
        )
        semesters_created += created
    templates_created = duty_templates_ensure_defaults(district=district, year=start_year)
    in_force = DutyTemplate.objects.filter(_valid_in(start_year), district=district)
    scope = Q(teacher__school=school) if school else Q(teacher__school__district=district)
    overdue = Designation.objects.filter(
        scope, status=Designation.Status.ACTIVE, last_year__lt=school_year_start(today)
    ).count()
    designations_expire(today=today)  # district-wide in effect; the count above is ours
    pairing_scope = Q(school=school) if school else Q(school__district=district)
    return SchoolYearOpened(
        district=district,
        school_year=school_year,
        year_created=year_created,
        semesters_created=semesters_created,
        templates_created=templates_created,
        templates_in_force=in_force.filter(
            Q(school__isnull=True) | Q(school=school) if school else Q()
        ).count(),
        designations_expired=overdue,
        pairings_kept=Pairing.objects.filter(pairing_scope, status=Pairing.Status.ACTIVE).count(),
    )
