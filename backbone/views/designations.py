"""The backbone roster, designations recorded by hand or imported, revocation, promotion and
the reserve pool. Views are thin: scope, call a selector or a service, render."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.import_jobs import import_job_start, import_runs_as_job
from core.job_files import list_export
from core.tabular import TableError, count_rows
from core.uploads import pending_discard, pending_exists, pending_open, pending_save
from teachers.models import Teacher
from teachers.selectors import latest_annual_grades

from .. import exports  # noqa: F401  (registers the backbone_roster_export job)
from ..filters import RosterFilter
from ..forms.designations import (
    DesignationForm,
    DesignationImportForm,
    PromoteForm,
    ReserveEntryForm,
    RevokeForm,
)
from ..importing import JOB_KIND, column_help, designation_import, imported_message
from ..models import Designation, Tier
from ..selectors import designations as selectors
from ..services import designations as services
from ..services.reserve import reserve_add, reserve_remove

PAGE_SIZE = 25
IMPORT_SESSION_KEY = "designation_import"


# -- who may do what ------------------------------------------------------------------------
def _require_staff(user) -> None:
    """The roster is for school staff and the district office; anyone else gets a 404."""
    scope = user.scope
    if not (scope.is_superuser or scope.is_school_staff or scope.reads_districts):
        raise Http404


def _managed_schools(user):
    """Schools whose designations the user keeps (principal, training office): readers get
    a 403, everyone else a 404."""
    _require_staff(user)
    schools = user.scope.schools(write=True)
    if not schools.exists():
        raise PermissionDenied
    return schools


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _editable_teachers(user):
    return Teacher.objects.editable_by(user).active().select_related("school")


# -- roster ---------------------------------------------------------------------------------
def _roster_filter(request) -> RosterFilter:
    return RosterFilter(
        request.GET, queryset=selectors.roster_list(user=request.user), user=request.user
    )


def roster(request):
    _require_staff(request.user)
    filterset = _roster_filter(request)
    tiers = list(filterset.filters["tier"].queryset)
    counts = selectors.roster_tier_counts(designations=filterset.qs_without("tier"), tiers=tiers)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # The latest annual assessment grade of each teacher on the page, in one query.
    grades = latest_annual_grades(teacher_ids=[d.teacher_id for d in page])
    for designation in page:
        designation.latest_grade = grades.get(designation.teacher_id)
    query = request.GET.copy()
    query.pop("page", None)
    tier_query = query.copy()
    tier_query.pop("tier", None)
    managed = request.user.scope.managed_school_ids
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "tier_query": tier_query.urlencode(),
        "counts": counts,
        "selected_tier": request.GET.get("tier", ""),
        "managed_ids": managed,
        "can_manage": bool(managed) or request.user.is_superuser,
    }
    template = "backbone/designations/roster.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def roster_print(request):
    _require_staff(request.user)
    filterset = _roster_filter(request)
    school = filterset.form.cleaned_data.get("school") if filterset.is_valid() else None
    schools = [school] if school else list(request.user.scope.schools())
    if len(schools) == 1:
        heading = schools[0].name
    else:
        heading = "、".join(sorted({s.district.name for s in schools}))
    context = {"designations": filterset.qs, "heading": heading, "today": timezone.localdate()}
    return render(request, "backbone/designations/roster_print.html", context)


@require_POST
def roster_export(request):
    _require_staff(request.user)
    query = request.POST.get("query", "")
    filters = RosterFilter(
        QueryDict(query), queryset=Designation.objects.none(), user=request.user
    ).form
    return list_export(request, kind=exports.KIND, params={"query": query}, filters=filters)


# -- designations ---------------------------------------------------------------------------
def designation_new(request):
    schools = _managed_schools(request.user)
    tiers = Tier.objects.filter(
        district_id__in=schools.values("district_id"), designated_by_school=False
    ).order_by("kind", "level")
    form = DesignationForm(
        request.POST or None,
        teachers=_editable_teachers(request.user),
        tiers=tiers,
        initial={"teacher": request.GET.get("teacher")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            designation = services.designation_record(
                teacher=data["teacher"],
                tier=data["tier"],
                designated_by=data["designated_by"],
                certificate_no=data["certificate_no"],
                first_year=data["first_year"],
                last_year=data["last_year"],
                by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Designation recorded: %(name)s, %(tier)s, %(term)s.")
                % {
                    "name": designation.teacher.name,
                    "tier": designation.tier.label,
                    "term": designation.term_label,
                },
            )
            return redirect("teachers:detail", pk=designation.teacher_id)
    return render(request, "backbone/designations/designation_form.html", {"form": form})


def designation_revoke(request, pk: int):
    _require_staff(request.user)
    designation = selectors.get_designation(user=request.user, pk=pk, write=True)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.designation_revoke(
                designation=designation, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("The designation of %(name)s was revoked.") % {"name": designation.teacher.name},
            )
            return redirect("backbone:roster")
    context = {"form": form, "designation": designation}
    return render(request, "backbone/designations/designation_revoke.html", context)


def designation_promote(request, pk: int):
    _require_staff(request.user)
    designation = selectors.get_designation(user=request.user, pk=pk, write=True)
    tiers = Tier.objects.filter(
        district_id=designation.tier.district_id,
        kind=Tier.Kind.TIER,
        level__gt=designation.tier.level,
    ).order_by("level")
    form = PromoteForm(request.POST or None, tiers=tiers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.designation_promote(
                designation=designation,
                tier=data["tier"],
                designated_by=data["designated_by"],
                certificate_no=data["certificate_no"],
                first_year=data["first_year"],
                last_year=data["last_year"],
                by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s was promoted to %(tier)s.")
                % {"name": new.teacher.name, "tier": new.tier.label},
            )
            return redirect("backbone:roster")
    context = {"form": form, "designation": designation, "has_higher": tiers.exists()}
    return render(request, "backbone/designations/designation_promote.html", context)


# -- import ---------------------------------------------------------------------------------
def _run_import(request, pending: dict, school, *, dry_run: bool):
    with pending_open(pending) as fileobj:
        return designation_import(
            school=school,
            fileobj=fileobj,
            filename=pending["file"],
            dry_run=dry_run,
            by=request.user,
        )


def _start_import_job(request, school, pending: dict, *, dry_run: bool):
    job = import_job_start(
        kind=JOB_KIND, user=request.user, school=school, pending=pending, dry_run=dry_run
    )
    if dry_run:
        request.session[IMPORT_SESSION_KEY] = {**pending, "job": job.pk}
    return redirect("job", pk=job.pk)


def _import_page(request, form):
    context = {"form": form, "columns": column_help()}
    return render(request, "backbone/designations/import_upload.html", context)


def _import_preview(request, result, school, pending: dict):
    context = {"result": result, "school": school, "filename": pending["filename"]}
    return render(request, "backbone/designations/import_preview.html", context)


def designation_import_upload(request):
    schools = _managed_schools(request.user)
    if request.method != "POST":
        return _import_page(request, DesignationImportForm(schools=schools))
    allowed = {str(pk) for pk in schools.values_list("pk", flat=True)}
    if request.POST.get("school") and request.POST["school"] not in allowed:
        raise Http404
    form = DesignationImportForm(request.POST, request.FILES, schools=schools)
    if not form.is_valid():
        return _import_page(request, form)
    pending_discard(request, IMPORT_SESSION_KEY)
    upload, school = form.cleaned_data["file"], form.cleaned_data["school"]
    pending = {
        "file": pending_save(upload),
        "filename": Path(upload.name).name,
        "school": school.pk,
    }
    try:
        with pending_open(pending) as fileobj:
            pending["rows"] = count_rows(fileobj, pending["file"])
        if import_runs_as_job(pending):
            # A large file is checked by a job: its page shows the progress, then the
            # problems or the confirm button.
            return _start_import_job(request, school, pending, dry_run=True)
        result = _run_import(request, pending, school, dry_run=True)
    except TableError as exc:
        pending_discard(request, IMPORT_SESSION_KEY, pending)
        form.add_error("file", exc.message)
        return _import_page(request, form)
    if result.ok:
        request.session[IMPORT_SESSION_KEY] = pending
    else:
        pending_discard(request, IMPORT_SESSION_KEY, pending)
    return _import_preview(request, result, school, pending)


@require_POST
def designation_import_confirm(request):
    schools = _managed_schools(request.user)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or not pending_exists(pending):
        pending_discard(request, IMPORT_SESSION_KEY)
        messages.warning(
            request, _("There is no uploaded file waiting for confirmation. Upload it again.")
        )
        return redirect("backbone:designation_import")
    school = schools.filter(pk=pending["school"]).first()
    if school is None:
        pending_discard(request, IMPORT_SESSION_KEY)
        raise Http404
    if request.POST.get("job") and request.POST["job"] != str(pending.get("job")):
        # The confirm button of an older check: the waiting upload is another file.
        messages.warning(
            request, _("There is no uploaded file waiting for confirmation. Upload it again.")
        )
        return redirect("backbone:designation_import")
    if import_runs_as_job(pending):
        request.session.pop(IMPORT_SESSION_KEY, None)  # the job owns the file now
        return _start_import_job(request, school, pending, dry_run=False)
    try:
        result = _run_import(request, pending, school, dry_run=False)
    except TableError as exc:
        messages.error(request, exc.message)
        return redirect("backbone:designation_import")
    finally:
        pending_discard(request, IMPORT_SESSION_KEY)
    if not result.ok:
        return _import_preview(request, result, school, pending)
    messages.success(request, imported_message(result, school))
    return redirect("backbone:roster")


# -- reserve pool ---------------------------------------------------------------------------
def reserve(request):
    _require_staff(request.user)
    managed = request.user.scope.schools(write=True)
    form = None
    if managed.exists():
        tiers = Tier.objects.filter(
            district_id__in=managed.values("district_id"), kind=Tier.Kind.TIER
        ).order_by("level")
        form = ReserveEntryForm(
            request.POST or None, teachers=_editable_teachers(request.user), tiers=tiers
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                entry = reserve_add(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s was added to the reserve pool for %(tier)s.")
                    % {"name": entry.teacher.name, "tier": entry.tier.label},
                )
                return redirect("backbone:reserve")
    context = {
        "entries": selectors.reserve_list(user=request.user),
        "form": form,
        "managed_ids": request.user.scope.managed_school_ids,
    }
    return render(request, "backbone/designations/reserve.html", context)


@require_POST
def reserve_entry_remove(request, pk: int):
    _require_staff(request.user)
    entry = selectors.get_reserve_entry(user=request.user, pk=pk, write=True)
    reserve_remove(entry=entry)
    messages.success(
        request,
        _("%(name)s was taken out of the reserve pool for %(tier)s.")
        % {"name": entry.teacher.name, "tier": entry.tier.label},
    )
    return redirect("backbone:reserve")


urlpatterns = [
    path("roster/", roster, name="roster"),
    path("roster/print/", roster_print, name="roster_print"),
    path("roster/export/", roster_export, name="roster_export"),
    path("designations/new/", designation_new, name="designation_new"),
    path("designations/import/", designation_import_upload, name="designation_import"),
    path(
        "designations/import/confirm/",
        designation_import_confirm,
        name="designation_import_confirm",
    ),
    path("designations/<id:pk>/revoke/", designation_revoke, name="designation_revoke"),
    path("designations/<id:pk>/promote/", designation_promote, name="designation_promote"),
    path("reserve/", reserve, name="reserve"),
    path("reserve/<id:pk>/remove/", reserve_entry_remove, name="reserve_remove"),
]
