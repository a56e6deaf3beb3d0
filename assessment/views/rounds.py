"""Assessment rounds in the browser: templates, open a round, committee scoring, finalise, post
the results (公示), lock; flagged designations; the teacher's duty report (述职). Views scope the
lookup, call a selector or a service, and render."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_POST

from core.actions import post_action
from scoring.pages import sheet_post

from .. import selectors
from ..forms import rounds as forms
from ..models import AssessmentTemplate
from ..services import rounds as services
from ..services import templates as template_services


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _require_staff(user) -> None:
    scope = user.scope
    if not (scope.is_superuser or scope.is_school_staff or scope.reads_districts):
        raise Http404


# -- templates -----------------------------------------------------------------------------------
def _managed_school(request):
    schools = selectors.manageable_schools(user=request.user)
    school = (
        schools.filter(pk=request.GET.get("school")).first()
        if request.GET.get("school", "").isdigit()
        else schools.first()
    )
    if school is None:
        raise Http404
    return school


def template_list(request):
    school = _managed_school(request)
    year = selectors.current_school_year()
    templates = [
        template_services.template_ensure(school=school, kind=kind, year=year)
        for kind in AssessmentTemplate.Kind.values
    ]
    context = {"school": school, "templates": templates, "year": year}
    return render(request, "assessment/rounds/templates.html", context)


def template_edit(request, kind: str):
    if kind not in AssessmentTemplate.Kind.values:
        raise Http404
    school = _managed_school(request)
    year = selectors.current_school_year()
    template = template_services.template_ensure(school=school, kind=kind, year=year)
    form = forms.TemplateForm(
        request.POST or None,
        initial={
            "excellent_from": template.excellent_from,
            "good_from": template.good_from,
            "qualified_from": template.qualified_from,
            "missed_core_duty_cap": template.missed_core_duty_cap,
        },
    )
    formset = forms.component_formset(
        request.POST or None,
        initial=[
            {"name": c.name, "weight": c.weight, "max_score": c.max_score}
            for c in template.components.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            template_services.assessment_template_update(
                school=school, kind=kind, components=formset.rows, by=request.user,
                **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("The assessment template was saved."))
            return redirect(f"{reverse('assessment:templates')}?school={school.pk}")
    context = {"school": school, "template": template, "form": form, "formset": formset}
    return render(request, "assessment/rounds/template_form.html", context)


# -- rounds --------------------------------------------------------------------------------------
def round_list(request):
    _require_staff(request.user)
    context = {
        "rounds": selectors.round_list(user=request.user),
        "can_open": selectors.manageable_schools(user=request.user).exists(),
    }
    return render(request, "assessment/rounds/list.html", context)


def round_new(request):
    scope = request.user.scope
    schools = selectors.manageable_schools(user=request.user)
    if not schools.exists():
        if scope.is_school_staff or scope.is_district_office:
            raise PermissionDenied
        raise Http404
    form = forms.RoundForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_open(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("The assessment round is open for the committee."))
            return redirect("assessment:round", pk=round.pk)
    return render(request, "assessment/rounds/form.html", {"form": form})


def round_detail(request, pk: int):
    round = selectors.get_round_for_user(user=request.user, pk=pk)
    context = selectors.round_detail(round=round, user=request.user)
    context["post_form"] = forms.PostForm(round=round)
    return render(request, "assessment/rounds/detail.html", context)


def round_score(request, pk: int):
    round = selectors.get_round_for_scoring(user=request.user, pk=pk)
    sheet, values = selectors.own_sheet(round=round, member=request.user)
    final = (sheet is not None and sheet.submitted_at is not None) or (
        round.status != round.Status.SCORING
    )
    entries = selectors.round_entries(round=round)
    form = forms.ScoreSheetForm(
        request.POST or None,
        entries=entries,
        components=list(round.template.components.all()),
        values=values,
        disabled=final,
    )
    if request.method == "POST" and not final and form.is_valid():
        save, submit = services.score_sheet_save, services.score_sheet_submit
        to = ("assessment:round_score", "assessment:round")
        return sheet_post(request, round=round, values=form.values, save=save, submit=submit, to=to)
    context = {"round": round, "form": form, "sheet": sheet, "final": final}
    return render(request, "assessment/rounds/score.html", context)


round_refresh = post_action(
    lookup=partial(selectors.get_round_for_user, write=True),
    run=services.round_refresh_facts,
    success=gettext_lazy("The facts were read again."),
    to="assessment:round",
)
FINALISED = ngettext_lazy(
    "The round is finalised: %(n)d teacher graded.",
    "The round is finalised: %(n)d teachers graded.",
    "n",
)
round_finalise = post_action(
    lookup=selectors.get_round_for_principal,
    run=services.round_finalise,
    success=FINALISED,
    to="assessment:round",
)
round_lock = post_action(
    lookup=selectors.get_round_for_principal,
    run=services.round_lock,
    success=gettext_lazy("The round is locked and read-only."),
    to="assessment:round",
)


@require_POST
def entry_absence(request, pk: int):
    entry = selectors.get_entry_for_manager(user=request.user, pk=pk)
    # "1" absent, "0" not absent (each with a reason), "" the register decides again.
    absent = {"1": True, "0": False}.get(request.POST.get("absent", ""))
    try:
        services.entry_set_absence(
            entry=entry, absent=absent, reason=request.POST.get("reason", ""), by=request.user
        )
    except ValidationError as exc:
        _error(request, exc)
    return redirect(f"{reverse('assessment:round', args=[entry.round_id])}#entry-{entry.pk}")


@require_POST
def round_post(request, pk: int):
    round = selectors.get_round_for_principal(user=request.user, pk=pk)
    form = forms.PostForm(request.POST, round=round)
    if not form.is_valid():
        # The form sits in the round page's action bar: its errors come back as messages.
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            for error in errors:
                text = _("%(field)s: %(error)s") % {"field": label, "error": error}
                messages.error(request, text if label else error)
        return redirect("assessment:round", pk=round.pk)
    try:
        services.round_post(round=round, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The results are posted for the school's staff."))
    return redirect("assessment:round", pk=round.pk)


# -- results (公示) --------------------------------------------------------------------------------
def results_list(request):
    rounds = selectors.results_list(user=request.user)
    return render(request, "assessment/rounds/results_list.html", {"rounds": rounds})


def results(request, pk: int):
    round = selectors.get_results_for_user(user=request.user, pk=pk)
    context = {
        "round": round,
        "entries": selectors.results_rows(round=round),
        "running": selectors.notice_running(round),
    }
    return render(request, "assessment/rounds/results.html", context)


# -- flagged designations ------------------------------------------------------------------------
def flagged(request):
    scope = request.user.scope
    if not scope.is_superuser and not scope.school_ids_with({"principal"}):
        raise Http404
    context = {"designations": selectors.flagged_designations(user=request.user)}
    return render(request, "assessment/rounds/flagged.html", context)


@require_POST
def flagged_confirm(request, pk: int):
    designation = selectors.get_flagged_for_user(user=request.user, pk=pk)
    try:
        services.designation_flag_confirm(
            designation=designation, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("The designation of %(name)s was revoked.") % {"name": designation.teacher.name},
        )
    return redirect("assessment:flagged")


@require_POST
def flagged_clear(request, pk: int):
    designation = selectors.get_flagged_for_user(user=request.user, pk=pk)
    services.designation_flag_clear(designation=designation, by=request.user)
    messages.success(
        request,
        _("%(name)s keeps the designation; the flag was cleared.")
        % {"name": designation.teacher.name},
    )
    return redirect("assessment:flagged")


# -- the duty report (述职) -----------------------------------------------------------------------
def duty_report(request):
    teacher = selectors.own_teacher(user=request.user)
    year = selectors.current_school_year()
    report = selectors.duty_report_for(teacher=teacher, year=year)
    submitted = report is not None and report.submitted_at is not None
    form = forms.DutyReportForm(
        None if submitted else (request.POST or None),
        initial={"text": report.text if report else ""},
        disabled=submitted,
    )
    if request.method == "POST" and not submitted and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.duty_report_save(
                teacher=teacher, year=year, text=form.cleaned_data["text"], by=request.user,
                submit=submit,
            )  # fmt: skip
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your duty report was submitted.") if submit else _("Draft saved."),
            )
            return redirect("assessment:duty_report")
    context = {"form": form, "report": report, "submitted": submitted, "year": year}
    return render(request, "assessment/rounds/duty_report.html", context)


urlpatterns = [
    path("rounds/templates/", template_list, name="templates"),
    path("rounds/templates/<str:kind>/", template_edit, name="template_edit"),
    path("rounds/", round_list, name="rounds"),
    path("rounds/new/", round_new, name="round_new"),
    path("rounds/<id:pk>/", round_detail, name="round"),
    path("rounds/<id:pk>/score/", round_score, name="round_score"),
    path("rounds/<id:pk>/refresh/", round_refresh, name="round_refresh"),
    path("rounds/<id:pk>/finalise/", round_finalise, name="round_finalise"),
    path("rounds/<id:pk>/post/", round_post, name="round_post"),
    path("rounds/<id:pk>/lock/", round_lock, name="round_lock"),
    path("entries/<id:pk>/absence/", entry_absence, name="entry_absence"),
    path("results/", results_list, name="results_list"),
    path("results/<id:pk>/", results, name="results"),
    path("flagged/", flagged, name="flagged"),
    path("flagged/<id:pk>/revoke/", flagged_confirm, name="flagged_confirm"),
    path("flagged/<id:pk>/clear/", flagged_clear, name="flagged_clear"),
    path("duty-report/", duty_report, name="duty_report"),
]
