"""Scheduled yearly reviews: once a school year is over (YEARLY_REPORT_AFTER, "MM-DD", default
"09-01"), a yearly report job is created for each school's principal so the file is waiting
when the office arrives. Run daily by celery beat; creating the job twice is harmless because
it is skipped when one exists for the school and year."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from core.jobs import job_create
from core.models import Job, Role, RoleAssignment, School

from . import reports  # noqa: F401  (registers the yearly_report job)

KIND = "yearly_report"


def finished_year(today: datetime.date) -> int | None:
    """The start year of the latest school year whose report is due on ``today``."""
    month, day = (int(x) for x in getattr(settings, "YEARLY_REPORT_AFTER", "09-01").split("-"))
    # The school year Y ends on 31 August Y+1; its report is due from MM-DD after that.
    due_this_calendar_year = today >= datetime.date(today.year, month, day)
    return today.year - 1 if due_this_calendar_year else today.year - 2


def yearly_reports_create(*, today: datetime.date | None = None) -> list[Job]:
    today = today or timezone.localdate()
    year = finished_year(today)
    done = set(
        Job.objects.filter(kind=KIND, params__year=year, school__isnull=False).values_list(
            "school_id", flat=True
        )
    )
    principals = {}
    for assignment in (
        RoleAssignment.objects.filter(role=Role.PRINCIPAL, school__isnull=False)
        .select_related("user")
        .order_by("pk")
    ):
        principals.setdefault(assignment.school_id, assignment.user)
    created = []
    for school in School.objects.exclude(pk__in=done).order_by("code"):
        principal = principals.get(school.pk)
        if principal is None:
            continue
        with transaction.atomic(), translation.override(school.language):
            created.append(
                job_create(
                    kind=KIND,
                    requested_by=principal,
                    params={"school": school.pk, "year": year},
                    school=school,
                )
            )
    return created


@shared_task(name="assessment.build_yearly_reports")
def build_yearly_reports() -> int:
    return len(yearly_reports_create())
