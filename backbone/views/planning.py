"""Planning pages: eligibility rules and overview, annual grades, targets against actual."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.models import school_year_label

from ..forms.planning import AnnualGradesForm, EligibilityRulesForm, TargetPlanForm
from ..models import Tier
from ..selectors import planning as selectors
from ..services import eligibility as eligibility_services
from ..services import targets as target_services
from ..services.eligibility import RULE_FIELDS

PAGE_SIZE = 25


def _with_query(name: str, *args, **params) -> str:
    url = reverse(name, args=args)
    params = {k: v for k, v in params.items() if v}
    return f"{url}?{urlencode(params)}" if params else url


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# -- eligibility rules ---------------------------------------------------------------------------
def rules(request):
    selectors.require_planning_reader(request.user)
    panels = selectors.rules_overview(user=request.user)
    return render(request, "backbone/planning/rules.html", {"panels": panels})


def rules_edit(request, pk: int):
    selectors.require_planning_reader(request.user)
    school_pk = request.POST.get("school") or request.GET.get("school")
    target = selectors.get_rules_for_edit(user=request.user, tier_pk=pk, school_pk=school_pk)
    if request.method == "POST" and "reset" in request.POST:
        if target.school is None:
            raise PermissionDenied
        eligibility_services.eligibility_rules_reset(
            tier=target.tier, school=target.school, by=request.user
        )
        messages.success(request, _("The district's rules apply again."))
        return redirect("backbone:rules")
    initial = None
    if target.current is None and target.default is not None:
        initial = model_to_dict(target.default, fields=RULE_FIELDS)
    form = EligibilityRulesForm(
        request.POST or None, instance=target.current, initial=initial, tier=target.tier
    )
    if request.method == "POST" and form.is_valid():
        try:
            eligibility_services.eligibility_rules_save(
                tier=target.tier, school=target.school, values=form.values(), by=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Eligibility rules saved."))
            return redirect("backbone:rules")
    return render(request, "backbone/planning/rules_form.html", {"form": form, "target": target})


# -- eligibility overview ------------------------------------------------------------------------
def eligibility(request):
    selectors.require_planning_reader(request.user)
    user = request.user
    tier_choices = selectors.tier_choices(user=user)
    codes = [code for code, _label in tier_choices]
    tier_code = request.GET.get("tier")
    if tier_code not in codes:
        tier_code = selectors.default_tier_code(user=user)
    schools = list(user.scope.schools().order_by("district__code", "code"))
    school = None
    if request.GET.get("school"):
        school = selectors.get_school_for_user(user=user, pk=request.GET["school"])
    rows = (
        selectors.eligibility_overview(user=user, tier_code=tier_code, school=school)
        if tier_code
        else []
    )
    counts = {"total": len(rows), "eligible": sum(r.eligibility.met for r in rows)}
    counts["not_eligible"] = counts["total"] - counts["eligible"]
    status = request.GET.get("status", "")
    if status == "eligible":
        rows = [r for r in rows if r.eligibility.met]
    elif status == "not_eligible":
        rows = [r for r in rows if not r.eligibility.met]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "tier_choices": tier_choices,
        "tier_code": tier_code,
        "tier_label": dict(tier_choices).get(tier_code, ""),
        "schools": schools,
        "school": school,
        "status": status,
        "counts": counts,
    }
    return render(request, "backbone/planning/eligibility.html", context)


# -- annual grades -------------------------------------------------------------------------------
def grades(request):
    selectors.require_planning_reader(request.user)
    user = request.user
    school = selectors.default_school(user=user, pk=request.GET.get("school"))
    years = selectors.grade_year_choices()
    try:
        year = int(request.GET.get("year") or selectors.default_grade_year())
    except ValueError:
        raise Http404 from None
    if year not in years:
        raise Http404
    can_edit = user.scope.can_manage_school(school.pk)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    teachers, existing = selectors.grade_grid(school=school, year=year)
    form = AnnualGradesForm(
        request.POST or None, teachers=teachers, grades=existing, disabled=not can_edit
    )
    if request.method == "POST" and form.is_valid():
        changed = eligibility_services.annual_grades_record(
            school=school, year=year, grades=form.grades(), by=user
        )
        messages.success(
            request,
            _("Annual grades for %(year)s saved (%(n)d changed).")
            % {"year": school_year_label(year), "n": changed},
        )
        return redirect(_with_query("backbone:grades", school=school.pk, year=year))
    context = {
        "form": form,
        "school": school,
        "schools": list(user.scope.schools().order_by("district__code", "code")),
        "year": year,
        "year_label": school_year_label(year),
        "years": [(y, school_year_label(y)) for y in years],
        "can_edit": can_edit,
        "recorded": len(existing),
    }
    return render(request, "backbone/planning/grades.html", context)


# -- targets -------------------------------------------------------------------------------------
def _owner_params(school, district) -> dict:
    return {"school": school.pk} if school is not None else {"district": district.pk}


def _get_owner(request, *, write: bool = False):
    """Whose targets: ?school=<pk> or ?district=<pk> (forms post back to the same query)."""
    return selectors.get_target_owner(
        user=request.user,
        school_pk=request.GET.get("school"),
        district_pk=request.GET.get("district"),
        write=write,
    )


def _can_edit_targets(user, school, district) -> bool:
    scope = user.scope
    if school is not None:
        return scope.can_manage_school(school.pk)
    return scope.is_superuser or district.pk in scope.district_ids


def targets(request):
    selectors.require_planning_reader(request.user)
    school, district = _get_owner(request)
    overview = selectors.target_overview(school=school, district=district)
    chart = selectors.target_chart_data(
        overview,
        text={
            "actual": _("Actual"),
            "target": _("Target"),
            "schoolsTarget": _("Schools' targets (sum)"),
        },
    )
    owner = _owner_params(school, district)
    context = {
        "school": school,
        "district": district,
        "owner": owner,
        "owner_query": urlencode(owner),
        "owner_name": (school or district).name,
        "owner_choices": selectors.target_owner_choices(user=request.user),
        "overview": overview,
        "chart": chart,
        "can_edit": _can_edit_targets(request.user, school, district),
    }
    return render(request, "backbone/planning/targets.html", context)


def _target_form(request, *, by_year: int | None):
    selectors.require_planning_reader(request.user)
    school, district = _get_owner(request, write=True)
    if not _can_edit_targets(request.user, school, district):
        raise PermissionDenied
    district_id = school.district_id if school is not None else district.pk
    tiers = list(Tier.objects.filter(district_id=district_id, kind=Tier.Kind.TIER))
    current = selectors.current_school_year()
    years = list(range(current, current + selectors.MAX_FUTURE_YEARS + 1))
    initial = {"by_year": by_year or current + 2}
    if by_year is not None:
        plan = selectors.plan_for_year(school=school, district=district, by_year=by_year)
        if not plan["exists"]:
            raise Http404
        if by_year not in years:
            years.insert(0, by_year)
        initial["note"] = plan["note"]
        initial.update({f"tier_{t.pk}": plan["counts"].get(t.pk) for t in tiers})
    form = TargetPlanForm(request.POST or None, tiers=tiers, years=years, initial=initial)
    owner = _owner_params(school, district)
    if request.method == "POST" and form.is_valid():
        try:
            target_services.target_plan_save(
                school=school,
                district=district,
                by_year=form.cleaned_data["by_year"],
                counts=form.counts(),
                note=form.cleaned_data["note"],
                by=request.user,
                previous_year=by_year,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Targets saved."))
            return redirect(_with_query("backbone:targets", **owner))
    context = {
        "form": form,
        "school": school,
        "district": district,
        "by_year": by_year,
        "owner_query": urlencode(owner),
        "owner_name": (school or district).name,
    }
    return render(request, "backbone/planning/target_form.html", context)


def target_create(request):
    return _target_form(request, by_year=None)


def target_edit(request, year: int):
    return _target_form(request, by_year=year)


def target_delete(request, year: int):
    selectors.require_planning_reader(request.user)
    school, district = _get_owner(request, write=True)
    if not _can_edit_targets(request.user, school, district):
        raise PermissionDenied
    plan = selectors.plan_for_year(school=school, district=district, by_year=year)
    if not plan["exists"]:
        raise Http404
    owner = _owner_params(school, district)
    if request.method == "POST":
        target_services.target_plan_delete(
            school=school, district=district, by_year=year, by=request.user
        )
        messages.success(request, _("The targets were deleted."))
        return redirect(_with_query("backbone:targets", **owner))
    context = {
        "school": school,
        "district": district,
        "year_label": school_year_label(year),
        "owner_query": urlencode(owner),
        "owner_name": (school or district).name,
        "year": year,
    }
    return render(request, "backbone/planning/target_confirm_delete.html", context)


urlpatterns = [
    path("rules/", rules, name="rules"),
    path("rules/<id:pk>/edit/", rules_edit, name="rules_edit"),
    path("eligibility/", eligibility, name="eligibility"),
    path("grades/", grades, name="grades"),
    path("targets/", targets, name="targets"),
    path("targets/new/", target_create, name="target_create"),
    path("targets/<id:year>/edit/", target_edit, name="target_edit"),
    path("targets/<id:year>/delete/", target_delete, name="target_delete"),
]
