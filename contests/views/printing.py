"""Files of a competition, each a background job filed under the organiser: the award
certificates (PDF) and the results workbook."""

from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from core.jobs import job_create

from .. import certificates, exports, selectors


def _job(request, pk: int, kind: str):
    contest = selectors.get_contest(user=request.user, pk=pk, write=True)
    job = job_create(
        kind=kind,
        requested_by=request.user,
        params={"contest": contest.pk},
        school=contest.school,
        district=contest.district if contest.is_district else None,
        force=True,
    )
    return redirect("job", pk=job.pk)


@require_POST
def certificates_print(request, pk: int):
    return _job(request, pk, certificates.JOB_KIND)


@require_POST
def results_export(request, pk: int):
    return _job(request, pk, exports.JOB_KIND)


urlpatterns = [
    path("<id:pk>/certificates/", certificates_print, name="certificates_print"),
    path("<id:pk>/export/", results_export, name="results_export"),
]
