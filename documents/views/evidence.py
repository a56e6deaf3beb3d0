"""Requesting a teacher's title-appraisal evidence pack: like the dossier, a job whose page shows
the progress and then the file. The request names the school years to cover (the last N) and,
optionally, the title applied for, printed on the cover."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.jobs import job_create
from core.wording import in_brackets

from ..dossier import dossier_fingerprint, teachers_for, with_data_stamps
from ..evidence import evidence_params
from .dossier import _language, can_print_dossier


@require_POST
def evidence_request(request, pk: int):
    teacher = with_data_stamps(teachers_for(request.user)).filter(pk=pk).first()
    if teacher is None:
        raise Http404
    if not can_print_dossier(request.user, teacher):
        raise PermissionDenied
    choices = evidence_params(
        years=request.POST.get("years"), applied_title=request.POST.get("applied_title")
    )
    job = job_create(
        kind="evidence_pack",
        requested_by=request.user,
        params={
            "teacher": teacher.pk,
            **choices,
            "label": f"{teacher.name}{in_brackets(teacher.staff_no)}",
        },
        school=teacher.school,
        fingerprint=dossier_fingerprint(teachers=[teacher], language=_language(), extra=choices),
    )
    return redirect("job", pk=job.pk)
