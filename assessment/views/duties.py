"""Duties: the training office's grid, a teacher's own duties, editing the duties of a school
or the district defaults, and opening a new school year. Views are thin: scope, call the
engine or a service, render."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.models import Tier
from core.forms import form_in_words
from core.jobs import job_create
from core.kept import COUNT_SECONDS
from core.models import District, School, school_year_label, school_year_start
from teachers.models import Teacher
from teachers.stages import GrowthStage

from .. import exports  # noqa: F401  (registers the duties_export job)
from ..duties import (
    duty_statuses,
    effective_templates,
    records_by_id,
    templates_in_force,
)
from ..duties_grid import duty_grid
from ..forms.duties import DutyGridFilterForm, DutyTemplateForm, OpenSchoolYearForm, year_choices
from ..models import DutyTemplate
from ..services.duties import duty_template_change, school_year_open


# -- who may do what ------------------------------------------------------------------------
def _require_staff(user) -> None:
    """Duties of others are for school staff and the district office; anyone else gets 404."""
    scope = user.scope
    if not (scope.is_superuser or scope.is_school_staff or scope.reads_districts):
        raise Http404


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# -- the grid -------------------------------------------------------------------------------
GRID_PAGE_SIZE = 50


# The grid orders every teacher in scope, riskiest first, by counting all their duties. Like
# the district overview it keeps that order and its totals a few minutes, says when it counted
# and offers to count again (core.kept); the rows of the page are always counted anew.
def _order_key(user, filters: dict) -> str:
    """The cache key of the user's grid order: what they see, the filters and the day."""
    chosen = [getattr(filters[name], "pk", filters[name]) for name in sorted(filters)]
    parts = [user.scope.cache_key, *map(str, chosen), str(timezone.localdate())]
    return "duty-grid-order:" + ":".join(parts)


def duties_grid(request):
    _require_staff(request.user)
    form = DutyGridFilterForm(request.GET or None, user=request.user)
    filters = form.filters
    key = _order_key(request.user, filters)
    kept = None if "refresh" in request.GET else cache.get(key)
    order, counted_at = kept or (None, None)
    # Shown a page at a time, riskiest first: only the page's rows are computed from records.
    grid = duty_grid(
        user=request.user,
        page=request.GET.get("page"),
        per_page=GRID_PAGE_SIZE,
        order=order,
        **filters,
    )
    if kept is None:
        counted_at = timezone.now()
        cache.set(key, (grid.order, counted_at), COUNT_SECONDS)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("refresh", None)
    context = {
        "form": form,
        "grid": grid,
        "page": grid.page,
        "counted_at": counted_at,
        "year_label": school_year_label(filters["year"]),
        "semester": filters["semester"],
        "query": query.urlencode(),
    }
    template = "assessment/duties/grid.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_POST
def duties_export(request):
    _require_staff(request.user)
    query = request.POST.get("query", "")
    filters = DutyGridFilterForm(QueryDict(query), user=request.user)
    label = form_in_words(filters) or _("Everything in your scope")
    job = job_create(
        kind="duties_export",
        requested_by=request.user,
        params={"query": query, "label": label},
    )
    return redirect("job", pk=job.pk)


# -- a teacher's own duties -----------------------------------------------------------------
def my_duties(request):
    teacher = Teacher.objects.select_related("school").filter(user_id=request.user.pk).first()
    if teacher is None:
        raise Http404
    current = school_year_start(timezone.localdate())
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        year = current
    if not current - 30 <= year <= current + 1:  # a school year no calendar can hold
        year = current
    statuses = duty_statuses(teachers=[teacher], year=year)[teacher.pk]
    records = records_by_id(statuses)
    duties = [
        {
            "status": s,
            "records": [records[pk] for pk in s.record_ids if pk in records],
            "pending": [records[pk] for pk in s.pending_ids if pk in records],
        }
        for s in statuses
    ]
    context = {
        "teacher": teacher,
        "duties": duties,
        "year": year,
        "year_label": school_year_label(year),
        "years": year_choices(),
    }
    return render(request, "assessment/duties/my_duties.html", context)


# -- duty templates -------------------------------------------------------------------------
def _owner(request):
    """Whose duties the page shows: a school (``?school=``) or the district defaults."""
    scope = request.user.scope
    schools = scope.schools()
    school_id = request.GET.get("school")
    if school_id:
        school = schools.filter(pk=school_id).first() if school_id.isdigit() else None
        if school is None:
            raise Http404
        return school.district, school
    if scope.reads_districts or scope.is_superuser:
        district = District.objects.filter(schools__in=schools).distinct().first()
        if district is None:
            raise Http404
        return district, None
    school = schools.first()
    if school is None:
        raise Http404
    return school.district, school


def _can_edit(user, district, school) -> bool:
    scope = user.scope
    if scope.is_superuser:
        return True
    if school is not None:
        return scope.can_manage_school(school.pk)
    return district.pk in scope.district_ids


def duty_templates(request):
    _require_staff(request.user)
    district, school = _owner(request)
    year = school_year_start(timezone.localdate())
    templates = list(
        templates_in_force(
            district_ids=[district.pk], school_ids=[school.pk] if school else [], year=year
        )
    )
    tiers = Tier.objects.filter(district=district, kind=Tier.Kind.TIER).order_by("level")
    school_id = school.pk if school else None
    sections = [
        (tier.label, effective_templates(templates, school_id=school_id, tier_id=tier.pk))
        for tier in tiers
    ]
    # Young teachers who are not yet backbone: the stages with duties.
    for stage, label in GrowthStage.choices:
        if any(t.stage == stage for t in templates):
            stage_templates = effective_templates(
                templates, school_id=school_id, tier_id=None, stage=stage
            )
            sections.append((label, stage_templates))
    context = {
        "district": district,
        "school": school,
        "sections": sections,
        "year_label": school_year_label(year),
        "can_edit": _can_edit(request.user, district, school),
        "schools": request.user.scope.schools(),
        "show_district": request.user.scope.is_district_office or request.user.is_superuser,
    }
    return render(request, "assessment/duties/templates.html", context)


def duty_template_edit(request, pk: int):
    _require_staff(request.user)
    district, school = _owner(request)
    template = get_object_or_404(DutyTemplate, pk=pk, district=district)
    if template.school_id not in (None, school.pk if school else None):
        raise Http404
    if not _can_edit(request.user, district, school):
        raise PermissionDenied
    form = DutyTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # The form edited a copy: the row itself is only closed, never rewritten.
        template.refresh_from_db()
        try:
            duty_template_change(
                template=template,
                school=school,
                from_year=form.cleaned_data["from_year"],
                data=data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("The duty was changed from %(year)s on.")
                % {"year": school_year_label(form.cleaned_data["from_year"])},
            )
            url = redirect("assessment:duty_templates")
            if school is not None:
                url["Location"] += f"?school={school.pk}"
            return url
    context = {"form": form, "template": template, "school": school, "district": district}
    return render(request, "assessment/duties/template_edit.html", context)


# -- new school year ------------------------------------------------------------------------
def open_school_year(request):
    _require_staff(request.user)
    scope = request.user.scope
    schools = scope.schools(write=True)
    districts = (
        District.objects.all()
        if scope.is_superuser
        else District.objects.filter(pk__in=scope.district_ids)
    )
    if not schools.exists() and not districts.exists():
        raise PermissionDenied
    form = OpenSchoolYearForm(request.POST or None, schools=schools, districts=districts)
    report = None
    if request.method == "POST" and form.is_valid():
        school: School | None = form.cleaned_data.get("school")
        district = form.cleaned_data.get("district") or school.district
        report = school_year_open(
            district=district, start_year=form.cleaned_data["start_year"], school=school
        )
    return render(request, "assessment/duties/open_year.html", {"form": form, "report": report})


urlpatterns = [
    path("duties/", duties_grid, name="duties_grid"),
    path("duties/export/", duties_export, name="duties_export"),
    path("duties/mine/", my_duties, name="my_duties"),
    path("duties/templates/", duty_templates, name="duty_templates"),
    path("duties/templates/<id:pk>/edit/", duty_template_edit, name="duty_template_edit"),
    path("school-year/open/", open_school_year, name="open_school_year"),
]
