"""The district office's to-do: the schools that are behind on their backbone teachers'
duties, worst first, each linking to that school's duties grid."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from assessment.duties import DutyState, backbone_teachers, duty_counts
from core.kept import kept
from core.models import Role, school_year_start
from teachers.models import Teacher

from .todos import Line, Section, counted

BEHIND = {DutyState.MISSED, DutyState.AT_RISK}


# Counting the duties of a district's backbone teachers takes a quarter to half a second for
# 2,000 teachers: the home page shows the schools behind as counted in the last few minutes,
# as the district overview (documents.views.district) does with its numbers.
@dataclass(frozen=True)
class SchoolBehind:
    pk: int
    name: str
    behind: int
    backbone: int


def schools_behind(*, school_ids, year: int, today) -> list[SchoolBehind]:
    """The schools of ``school_ids`` with backbone teachers behind on their duties in
    ``year``, worst first; counted once every few minutes for the same schools and day
    (core.kept)."""
    ids = ",".join(str(pk) for pk in sorted(school_ids))
    key = f"district-home-behind:{hashlib.sha256(ids.encode()).hexdigest()}:{year}:{today}"
    return kept(key, lambda: _count_behind(school_ids=school_ids, year=year, today=today))[0]


def _count_behind(*, school_ids, year: int, today) -> list[SchoolBehind]:
    teachers = list(
        backbone_teachers(year=year, teachers=Teacher.objects.filter(school_id__in=school_ids))
    )
    schools = {t.school_id: t.school for t in teachers}
    duties = duty_counts(teachers=teachers, year=year, today=today)
    backbone, behind = defaultdict(int), defaultdict(int)
    for teacher in teachers:
        backbone[teacher.school_id] += 1
        if any(d.status in BEHIND for d in duties.get(teacher.pk, ())):
            behind[teacher.school_id] += 1
    late = sorted(
        (s for s in schools.values() if behind[s.pk]),
        key=lambda s: (-behind[s.pk] / backbone[s.pk], s.code),
    )
    return [SchoolBehind(s.pk, s.name, behind[s.pk], backbone[s.pk]) for s in late]


def district_section(*, user) -> Section:
    today = timezone.localdate()
    year = school_year_start(today)
    late = schools_behind(school_ids=user.scope.district_school_ids, year=year, today=today)
    todo = counted(
        ngettext_lazy(
            "%(count)d school behind on its backbone teachers' duties",
            "%(count)d schools behind on their backbone teachers' duties",
            "count",
        ),
        total=len(late),
        url=reverse("documents:district"),
        icon="buildings",
        lines=[
            Line(
                s.name,
                # The year too: a filter given only the school would show the first year
                # of its menu, not the one counted.
                reverse("assessment:duties_grid") + f"?school={s.pk}&year={year}",
                _("%(behind)d of %(backbone)d backbone teachers behind on their duties")
                % {"behind": s.behind, "backbone": s.backbone},
            )
            for s in late
        ],
    )
    return Section(role=Role.DISTRICT_OFFICE, title=_("District office"), todos=[todo])
