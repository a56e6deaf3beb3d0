from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from teachers.selectors import teacher_counts_for_home

from . import selectors
from .jobs import job_retry
from .models import Job


def home(request):
    scope = request.user.scope
    context = {
        "schools": selectors.school_list(user=request.user) if scope.is_district_office else None,
        "counts": teacher_counts_for_home(user=request.user),
        "today": timezone.localdate(),
        "recent_jobs": selectors.job_list(user=request.user)[:5],
    }
    return render(request, "core/home.html", context)


def school_list(request):
    scope = request.user.scope
    if not (scope.is_superuser or scope.is_district_office or scope.is_school_staff):
        raise Http404
    return render(
        request, "core/school_list.html", {"schools": selectors.school_list(user=request.user)}
    )


@login_not_required
@require_POST
def language_switch(request):
    """Django's set_language, and a signed-in user's choice is remembered on their account."""
    response = set_language(request)
    lang = request.POST.get("language")
    if request.user.is_authenticated and lang in dict(
        request.user._meta.get_field("language").choices
    ):
        request.user.language = lang
        request.user.save(update_fields=["language"])
    return response


def job_list(request):
    page = Paginator(selectors.job_list(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "core/job_list.html", {"page": page})


def job_detail(request, pk: int):
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    if request.htmx:
        return render(request, "core/job_detail.html#progress", {"job": job})
    return render(request, "core/job_detail.html", {"job": job})


def job_download(request, pk: int):
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    if job.status != Job.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1]
    )


@require_POST
def job_retry_view(request, pk: int):
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    if job.status == Job.Status.FAILED:
        job_retry(job=job)
        messages.info(request, _("The job was queued again."))
    return redirect("job", pk=job.pk)


@login_not_required
def health(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
