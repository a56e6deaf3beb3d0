"""Requesting a young teacher's growth handbook: like the dossier, a job whose page shows the
progress and then the file. The school's principal or training office may add the foreword
line; without one the handbook leaves the line for the principal to write by hand."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.jobs import job_create
from core.wording import in_brackets

from ..dossier import dossier_fingerprint, teachers_for, with_data_stamps
from ..handbook import FOREWORD_MAX
from .dossier import _language, can_print_dossier


@require_POST
def handbook_request(request, pk: int):
    teacher = with_data_stamps(teachers_for(request.user)).filter(pk=pk).first()
    if teacher is None:
        raise Http404
    if not can_print_dossier(request.user, teacher):
        raise PermissionDenied
    foreword = ""
    if request.user.scope.can_manage_school(teacher.school_id):
        foreword = " ".join(request.POST.get("foreword", "").split())[:FOREWORD_MAX]
    job = job_create(
        kind="growth_handbook",
        requested_by=request.user,
        params={
            "teacher": teacher.pk,
            "foreword": foreword,
            "label": f"{teacher.name}{in_brackets(teacher.staff_no)}",
        },
        school=teacher.school,
        fingerprint=dossier_fingerprint(
            teachers=[teacher], language=_language(), extra={"foreword": foreword}
        ),
    )
    return redirect("job", pk=job.pk)
