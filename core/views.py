from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from . import selectors, services
from .files import download_response
from .forms import HolidayForm, SchoolYearForm, group_label
from .jobs import job_create, job_regenerable, job_retry
from .models import District, Holiday, Job, SchoolYear, school_year_start
from .tabular import RowErrors


@require_GET
def group_search(request):
    """The options of a group search field (core.forms.SearchSelect), for htmx to swap in."""
    term = request.GET.get("term", "").strip()[:50]
    groups = selectors.group_search(user=request.user, term=term, kind=request.GET.get("kind", ""))
    return render(
        request,
        "core/widgets/_group_options.html",
        {"groups": [(g.pk, group_label(g)) for g in groups], "term": term},
    )


def school_list(request):
    scope = request.user.scope
    if not (scope.is_superuser or scope.reads_districts or scope.is_school_staff):
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


def school_year_list(request):
    district = _district_for_edit(request.user)
    form = HolidayForm(request.POST or None)
    if request.method == "POST":
        if district is None:
            raise PermissionDenied
        if form.is_valid():
            services.holiday_add(district=district, **form.cleaned_data)
            messages.success(request, _("Holiday added."))
            return redirect("school_years")
    context = {
        "years": selectors.school_year_list(user=request.user),
        "holidays": selectors.holiday_list(user=request.user),
        "can_edit": district is not None,
        "holiday_form": form,
    }
    return render(request, "core/school_year_list.html", context)


@require_POST
def holiday_remove(request, pk: int):
    holiday = get_object_or_404(Holiday, pk=pk, district_id__in=request.user.scope.district_ids)
    services.holiday_remove(holiday=holiday)
    messages.success(request, _("Holiday removed."))
    return redirect("school_years")


def _district_for_edit(user):
    """The district whose school years this user keeps (district office only)."""
    ids = sorted(user.scope.district_ids)
    return District.objects.filter(pk=ids[0]).first() if ids else None


def school_year_edit(request, pk: int | None = None):
    district = _district_for_edit(request.user)
    if district is None:
        raise PermissionDenied
    school_year = None
    if pk is not None:
        school_year = get_object_or_404(
            SchoolYear, pk=pk, district_id__in=request.user.scope.district_ids
        )
        initial = selectors.school_year_initial(school_year)
    else:
        latest = SchoolYear.objects.filter(district=district).order_by("-start_year").first()
        next_year = latest.start_year + 1 if latest else school_year_start(timezone.localdate())
        initial = SchoolYearForm.initial_for(next_year)
    form = SchoolYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.school_year_save(
                district=school_year.district if school_year else district,
                data=form.cleaned_data,
                school_year=school_year,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("School year %(label)s saved.") % {"label": saved.label})
            return redirect("school_years")
    return render(request, "core/school_year_form.html", {"form": form, "school_year": school_year})


def job_list(request):
    page = Paginator(selectors.job_list(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "core/job_list.html", {"page": page})


def job_detail(request, pk: int):
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    context = {
        "job": job,
        "can_act": selectors.job_can_act(user=request.user, job=job),
        "can_regenerate": job_regenerable(job),
        "problems": RowErrors.from_outcome(job.outcome),
    }
    if request.htmx:
        return render(request, "core/job_detail.html#progress", context)
    return render(request, "core/job_detail.html", context)


def _get_job_to_act_on(request, pk: int) -> Job:
    """A job the user may retry or regenerate: 404 outside their sight, 403 when they only
    read it (the district office looking at a school's job)."""
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    if not selectors.job_can_act(user=request.user, job=job):
        raise PermissionDenied
    return job


def job_download(request, pk: int):
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    if job.status != Job.Status.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None  # expired or removed: the page offers "regenerate"
    return download_response(handle, filename=job.file.name.rsplit("/", 1)[-1])


@require_POST
def job_retry_view(request, pk: int):
    job = _get_job_to_act_on(request, pk)
    if job.status == Job.Status.FAILED or job.is_interrupted:
        job = job_retry(job=job)
        if job.status != Job.Status.FAILED:  # else the page shows why it failed again
            messages.info(request, _("The job was queued again."))
    return redirect("job", pk=job.pk)


@require_POST
def job_regenerate(request, pk: int):
    """Make the file again from today's data, as a new job of the same kind and parameters.
    The handler applies the requester's scope again at run time."""
    job = _get_job_to_act_on(request, pk)
    if not job.is_finished or not job_regenerable(job):
        return redirect("job", pk=job.pk)
    new = job_create(
        kind=job.kind,
        requested_by=request.user,
        params=job.params,
        school=job.school,
        district=job.district,
        fingerprint=job.fingerprint,
        force=True,
    )
    return redirect("job", pk=new.pk)


@login_not_required
def health(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
