"""The open-class calendar, observer sign-up and evaluation (评课), quick entry of class
observations, and comments on self-development plans. Views scope the lookup, call a service,
and render; htmx requests get the fragment they swap."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core import idempotency

from .. import forms_calendar as forms
from ..services import calendar as services
from ..services import observations as observation_services
from ..services import plans as plan_services

OPEN_CLASS_PANEL = "records/kinds/open_class_extra.html"
PLAN_PANEL = "records/kinds/plan_extra.html"


def _next_url(request, fallback: str) -> str:
    """Back where the form was posted from (the record's page or the calendar), if local."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _record_detail_url(pk: int) -> str | None:
    try:
        return reverse("records:detail", args=[pk])
    except NoReverseMatch:  # the record pages may not be installed
        return None


def _growth_url() -> str | None:
    try:
        return reverse("records:growth")
    except NoReverseMatch:
        return None


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# -- calendar --------------------------------------------------------------------------------------
@require_GET
def calendar_month(request):
    user = request.user
    if not services.may_use_calendar(user):
        raise Http404
    form = forms.CalendarFilterForm(request.GET, subjects=services.calendar_subjects(user=user))
    month = services.Month.parse(form.value("month"))
    classes = services.calendar_classes(
        user=user, month=month, subject=form.value("subject"), class_kind=form.value("kind")
    )
    filters = {k: v for k in ("subject", "kind") if (v := form.value(k))}
    context = {
        "form": form,
        "month": month,
        "weeks": services.month_grid(month=month, classes=classes),
        "classes": classes,
        "filters": filters,
        "many_schools": len({c.teacher.school_id for c in classes}) > 1,
        "is_teacher": services.observer_profile(user) is not None,
    }
    template = "records/calendar/month.html"
    if request.htmx and not request.htmx.boosted:
        template += "#calendar"
    return render(request, template, context)


@require_GET
def open_class_page(request, pk: int):
    open_class = services.get_open_class_for_user(user=request.user, pk=pk)
    context = {"record": open_class, "detail_url": _record_detail_url(open_class.pk)}
    return render(request, "records/calendar/open_class.html", context)


def _panel_or_redirect(request, open_class, *, message: str = "", error: str = ""):
    if request.htmx:
        context = {
            "record": open_class,
            "panel_message": message,
            "panel_error": error,
            "next_url": _next_url(request, ""),
        }
        return render(request, OPEN_CLASS_PANEL, context)
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect(_next_url(request, reverse("records:calendar_class", args=[open_class.pk])))


@require_POST
def signup(request, pk: int):
    open_class = services.get_open_class_for_user(user=request.user, pk=pk)
    want = {"join": True, "cancel": False}.get(request.POST.get("action", ""))
    try:
        signed_up = services.signup_toggle(open_class=open_class, by=request.user, want=want)
    except ValidationError as exc:
        return _panel_or_redirect(request, open_class, error=_errors(exc))
    message = (
        _("You are signed up to observe this class.")
        if signed_up
        else _("Your sign-up was cancelled.")
    )
    return _panel_or_redirect(request, open_class, message=message)


def evaluate(request, pk: int):
    return idempotency.run_once(request, endpoint="evaluate", run=lambda: _evaluate(request, pk))


def _evaluate(request, pk: int):
    outbox = idempotency.from_outbox(request)
    open_class = services.get_open_class_for_user(user=request.user, pk=pk)
    teacher = services.observer_profile(request.user)
    if not services.is_attendee(teacher, open_class):
        raise PermissionDenied
    evaluation = services.own_evaluation(open_class=open_class, teacher=teacher)
    refusal = services.evaluation_refusal(teacher, open_class)
    form = forms.EvaluationForm(request.POST or None, evaluation=evaluation)
    if outbox and request.method == "POST" and refusal:
        return idempotency.refused(str(refusal))
    if outbox and request.method == "POST" and not form.is_valid():
        return idempotency.refused(
            _("Please correct the errors below."), errors=idempotency.form_errors(form)
        )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.evaluation_save(open_class=open_class, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if outbox:
                return idempotency.refused(_errors(exc))
            messages.error(request, _errors(exc))
        else:
            text = _("Your evaluation was saved; the teacher of the class can read it.")
            if form.cleaned_data["log_observation"]:
                text += " " + _("It was also logged as a class observation (draft).")
            back = _next_url(request, reverse("records:calendar_class", args=[open_class.pk]))
            if outbox:
                return idempotency.accepted(request, text, location=back)
            messages.success(request, text)
            return redirect(back)
    context = {
        "record": open_class,
        "form": form,
        "evaluation": evaluation,
        "refusal": refusal,
        "next_url": _next_url(request, ""),
    }
    return render(request, "records/calendar/evaluate.html", context)


# -- quick entry of class observations -------------------------------------------------------------
def observations_quick(request):
    return idempotency.run_once(
        request, endpoint="observations_quick", run=lambda: _observations_quick(request)
    )


def _observations_quick(request):
    outbox = idempotency.from_outbox(request)
    teacher = services.observer_profile(request.user)
    if teacher is None:
        raise PermissionDenied
    teachers = observation_services.observable_teachers(teacher=teacher)
    kwargs = {"teachers": teachers, "subject": teacher.subject}
    show_errors = True
    if request.method == "POST" and "add_row" in request.POST:
        data = forms.with_extra_row(request.POST, subject=teacher.subject)
        formset = forms.observation_formset(data=data, **kwargs)
        show_errors = False
    elif request.method == "POST":
        formset = forms.observation_formset(data=request.POST, **kwargs)
        submit = "submit" in request.POST
        if formset.is_valid():
            try:
                created = observation_services.observations_create(
                    teacher=teacher, rows=formset.rows, by=request.user, submit=submit
                )
            except observation_services.RowErrors as exc:
                formset.add_row_errors(exc.rows)
            except ValidationError as exc:
                if outbox:
                    return idempotency.refused(_errors(exc))
                messages.error(request, _errors(exc))
            else:
                text = _saved_message(len(created), submit=submit)
                back = _growth_url() or reverse("records:observations_quick")
                if outbox:
                    return idempotency.accepted(request, text, location=back)
                messages.success(request, text)
                return redirect(back)
        if outbox:
            return idempotency.refused(
                _("Please correct the errors below."), errors=idempotency.form_errors(formset)
            )
    else:
        try:
            rows = int(request.GET.get("rows", 0))
        except ValueError:
            rows = 0
        formset = forms.observation_formset(rows=rows, **kwargs)
    context = {"formset": formset, "show_errors": show_errors, "teacher": teacher}
    template = "records/calendar/observations_quick.html"
    if request.htmx and "add_row" in request.POST:
        template += "#quick_form"
    return render(request, template, context)


def _saved_message(n: int, *, submit: bool) -> str:
    if submit:
        return ngettext(
            "%(n)d class observation was submitted for verification.",
            "%(n)d class observations were submitted for verification.",
            n,
        ) % {"n": n}
    return ngettext(
        "%(n)d class observation was saved as a draft.",
        "%(n)d class observations were saved as drafts.",
        n,
    ) % {"n": n}


# -- comments on self-development plans ------------------------------------------------------------
@require_POST
def plan_comment(request, pk: int):
    plan = plan_services.get_plan_for_user(user=request.user, pk=pk)
    if not plan_services.can_comment(request.user, plan):
        raise PermissionDenied
    form = forms.PlanCommentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            plan_services.plan_comment_add(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error = _errors(exc)
    if request.htmx:
        context = {
            "record": plan,
            "panel_error": error,
            "comment_form": None if form.is_valid() and not error else form,
            "next_url": _next_url(request, ""),
        }
        return render(request, PLAN_PANEL, context)
    if error or not form.is_valid():
        messages.error(request, error or _("Write a comment first."))
    else:
        messages.success(request, _("Your comment was added."))
    return redirect(_next_url(request, _record_detail_url(plan.pk) or reverse("home")))


urlpatterns = [
    path("calendar/", calendar_month, name="calendar"),
    path("calendar/classes/<id:pk>/", open_class_page, name="calendar_class"),
    path("calendar/classes/<id:pk>/signup/", signup, name="signup"),
    path("calendar/classes/<id:pk>/evaluate/", evaluate, name="evaluate"),
    path("observations/quick/", observations_quick, name="observations_quick"),
    path("plans/<id:pk>/comments/", plan_comment, name="plan_comment"),
]
