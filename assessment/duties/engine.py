"""The engine: what it reads once for a set of teachers, and every teacher's duty statuses."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from core.models import School
from records.hours import hours_for_teachers

from ..models import DutyReport, DutyTemplate, Period
from .counting import _count, _pairings, _records, _status
from .periods import TierTerm, _Calendar, _calendars, _Window, _window
from .requirements import (
    DUTY_RECORD_KINDS,
    effective_templates,
    stage_terms,
    templates_in_force,
    tier_designations,
)
from .state import DutyStatus


@dataclass
class _Setting:
    """What the engine reads once for a set of teachers, besides their records and hours:
    tier designations, calendars, the duties in force, pairings and duty reports."""

    year: int
    designations: dict[int, TierTerm]
    school_district: dict[int, int]
    calendars: dict[int, _Calendar]
    templates: list[DutyTemplate]
    pairings: dict[int, list[dict]]
    reported: set[int]
    _duties: dict = field(default_factory=dict)
    _windows: dict = field(default_factory=dict)

    def duties(self, teacher, *, semester, today) -> list[tuple[DutyTemplate, _Window]]:
        """The teacher's duties, each with the window it is counted over (those of their
        growth stage without a tier designation). Teachers of one school with the same
        designation's tier and term (or stage) have the same duties, and all windows but a
        term's are the same for everyone of a district: both are kept."""
        designation = self.designations.get(teacher.pk)
        if designation is None:
            return []
        key = (teacher.school_id, designation, semester, today)
        if key not in self._duties:
            self._duties[key] = self._find_duties(*key)
        return self._duties[key]

    def _find_duties(self, school_id, designation, semester, today) -> list[tuple]:
        district_id = self.school_district[school_id]
        templates = effective_templates(
            self.templates,
            school_id=school_id,
            tier_id=designation.tier_id,
            stage=designation.stage,
        )
        duties = []
        for template in templates:
            term = None
            if template.period == Period.TERM:
                term = (designation.first_year, designation.last_year)
            key = (template.pk, district_id, term, semester, today)
            window = self._windows.get(key)
            if window is None:
                window = self._windows[key] = _window(
                    template,
                    cal=self.calendars[district_id],
                    semester=semester,
                    designation=designation,
                    today=today,
                )
            duties.append((template, window))
        return duties


def _setting(
    *, teachers: list, year: int, school_district: dict[int, int] | None = None
) -> _Setting | None:
    """None when no teacher owes any duty in ``year`` (nothing else is read then): neither a
    tier designation nor a growth stage with duties. ``teachers``: objects with ``pk`` and
    ``school_id``."""
    designations = tier_designations(teacher_ids=[t.pk for t in teachers], year=year)
    school_ids = {t.school_id for t in teachers}
    if school_district is None:
        school_district = dict(
            School.objects.filter(pk__in=school_ids).values_list("pk", "district_id")
        )
    district_ids = set(school_district.values())
    templates = list(
        templates_in_force(district_ids=district_ids, school_ids=school_ids, year=year)
    )
    if any(t.stage for t in templates):
        # Asked for every teacher, held or not, so a page costs the same queries whoever
        # it shows; a tier designation comes before the growth stage.
        stages = stage_terms(teacher_ids=[t.pk for t in teachers], year=year)
        designations.update((pk, term) for pk, term in stages.items() if pk not in designations)
    if not designations:
        return None
    backbone = list(designations)
    reported = DutyReport.objects.filter(
        teacher_id__any=backbone, year=year, submitted_at__isnull=False
    ).values_list("teacher_id", flat=True)
    return _Setting(
        year=year,
        designations=designations,
        school_district=school_district,
        calendars=_calendars(district_ids, year),
        templates=templates,
        pairings=_pairings(backbone),
        reported=set(reported),
    )


def _statuses(
    setting: _Setting,
    teachers: list,
    *,
    semester: int | None,
    today: datetime.date,
    until: datetime.date | None = None,
    hours: dict | None = None,
) -> dict[int, list[DutyStatus]]:
    """The statuses of ``teachers`` (all or some of those ``setting`` was read for), from
    their records and hours: two more queries."""
    result: dict[int, list[DutyStatus]] = {t.pk: [] for t in teachers}
    backbone = [t.pk for t in teachers if t.pk in setting.designations]
    if not backbone:
        return result
    terms = [setting.designations[pk] for pk in backbone]
    first_year = min([setting.year, *(d.first_year for d in terms)])
    last_year = max([setting.year, *(d.last_year for d in terms)])
    records = _records(backbone, first_year, last_year, until)
    if hours is None:
        hours = hours_for_teachers(teachers=backbone, year=setting.year)
    for teacher in teachers:
        for template, window in setting.duties(teacher, semester=semester, today=today):
            counted = _count(
                template,
                window,
                records=records[teacher.pk][DUTY_RECORD_KINDS.get(template.kind)],
                pairings=setting.pairings.get(teacher.pk, []),
                report_submitted=teacher.pk in setting.reported,
                hours=hours[teacher.pk],
            )
            result[teacher.pk].append(_status(template, window, counted, today))
    return result


def duty_statuses(
    *,
    teachers: Iterable | QuerySet,
    year: int,
    semester: int | None = None,
    today: datetime.date | None = None,
    until: datetime.date | None = None,
    hours: dict | None = None,
) -> dict[int, list[DutyStatus]]:
    """teacher id -> the status of each of their duties (those of their growth stage for a
    teacher without a tier designation in ``year``; empty when the stage has none).
    ``teachers``: Teacher objects or a queryset of them. ``until`` counts only the records
    dated on or before it (a past month's check); training hours are the year's as they
    stand, or ``hours`` (teacher id -> Hours of ``year``) when the caller has counted them."""
    today = today or timezone.localdate()
    teachers = list(teachers)
    setting = _setting(teachers=teachers, year=year) if teachers else None
    if setting is None:
        return {t.pk: [] for t in teachers}
    return _statuses(setting, teachers, semester=semester, today=today, until=until, hours=hours)
