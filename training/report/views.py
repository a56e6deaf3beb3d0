"""The programme report page (every reader of the programme, each seeing their own teachers'
figures) and its printing as a job (the organiser)."""

from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from core.jobs import job_create

from .. import selectors
from . import PERIODS, programme_report
from .pdf import JOB_KIND


def report_page(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk)
    report = programme_report(programme=programme, user=request.user)
    context = {
        "programme": programme,
        "report": report,
        "chart": report.chart(),
        "periods": PERIODS,
        "can_print": selectors.can_edit(request.user, programme),
    }
    return render(request, "training/report.html", context)


@require_POST
def report_print(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk, write=True)
    job = job_create(
        kind=JOB_KIND,
        requested_by=request.user,
        params={"programme": programme.pk},
        school=programme.school,
        district=programme.district if programme.is_district else None,
        force=True,
    )
    return redirect("job", pk=job.pk)


urlpatterns = [
    path("<id:pk>/report/", report_page, name="report"),
    path("<id:pk>/report/print/", report_print, name="report_print"),
]
