"""Mentoring pages: pairings from proposal to renewal, observations and guidance sessions
through a pairing, the contract PDF and the mentor load table. Views scope the lookup, call a
selector or a service, and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.jobs import job_create
from teachers.models import Teacher

from . import forms, pdf, selectors, services
from .compliance import pairing_compliance
from .models import Pairing
from .outcomes import mentor_outcomes

PAGE_SIZE = 50


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _back(pairing: Pairing):
    return redirect("mentoring:detail", pk=pairing.pk)


# -- lists ---------------------------------------------------------------------------------------
def pairing_list(request):
    user = request.user
    teacher = selectors.own_teacher(user)
    if teacher is None and not selectors.sees_school_pairings(user):
        raise Http404
    status = request.GET.get("status", "")
    if status not in Pairing.Status.values:
        status = ""
    page = Paginator(selectors.pairing_list(user=user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    loads = selectors.mentor_loads(mentor_ids={p.mentor_id for p in page})
    for pairing in page:
        pairing.load = loads[pairing.mentor_id]
    context = {
        "page": page,
        "status": status,
        "statuses": Pairing.Status.choices,
        "teacher": teacher,
        "outcomes": mentor_outcomes(mentor=teacher) if teacher else [],
        "can_propose": teacher is not None and teacher.is_active,
        "can_assign": user.scope.is_superuser or bool(user.scope.managed_school_ids),
        "sees_mentors": selectors.sees_school_pairings(user),
    }
    return render(request, "mentoring/list.html", context)


def mentor_list(request):
    if not selectors.sees_school_pairings(request.user):
        raise Http404
    context = {
        "mentors": selectors.mentor_table(user=request.user),
        "duty_min": selectors.DUTY_MIN_APPRENTICES,
        "duty_max": selectors.DUTY_MAX_APPRENTICES,
        "maximum": selectors.max_apprentices(),
    }
    return render(request, "mentoring/mentors.html", context)


# -- new pairings --------------------------------------------------------------------------------
def _manager_teachers(user):
    scope = user.scope
    teachers = Teacher.objects.filter(is_active=True).select_related("school")
    if not scope.is_superuser:
        teachers = teachers.filter(school_id__in=scope.managed_school_ids)
    return teachers.order_by("school", "name", "pk")


def pairing_new(request):
    user = request.user
    scope = user.scope
    manager = scope.is_superuser or bool(scope.managed_school_ids)
    teacher = selectors.own_teacher(user)
    if manager:
        teachers = _manager_teachers(user)
        loads = selectors.mentor_loads(mentor_ids=teachers.values_list("pk", flat=True))
        form = forms.AssignForm(request.POST or None, teachers=teachers, loads=loads)
    elif teacher is not None and teacher.is_active:
        colleagues = (
            Teacher.objects.filter(school_id=teacher.school_id, is_active=True)
            .exclude(pk=teacher.pk)
            .order_by("name", "pk")
        )
        loads = selectors.mentor_loads(mentor_ids=colleagues.values_list("pk", flat=True))
        form = forms.ProposalForm(
            request.POST or None, teacher=teacher, colleagues=colleagues, loads=loads
        )
    elif scope.is_school_staff or scope.is_district_office:
        raise PermissionDenied
    else:
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if manager:
                pairing = services.pairing_assign(
                    mentor=data["mentor"], apprentice=data["apprentice"], by=user, **form.terms
                )
            elif data["role"] == forms.ProposalForm.REQUEST:
                pairing = services.pairing_request(
                    apprentice=teacher, mentor=data["colleague"], by=user, **form.terms
                )
            else:
                pairing = services.pairing_offer(
                    mentor=teacher, apprentice=data["colleague"], by=user, **form.terms
                )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The pairing is proposed; the principal or training office approves it.")
            )
            load = selectors.mentor_load(mentor=pairing.mentor)
            if load.at_maximum:
                messages.warning(
                    request, services.overload_message(mentor=pairing.mentor, load=load)
                )
            return _back(pairing)
    return render(request, "mentoring/form.html", {"form": form, "manager": manager})


# -- one pairing ---------------------------------------------------------------------------------
def pairing_detail(request, pk: int):
    user = request.user
    pairing = selectors.get_pairing(user=user, pk=pk)
    load = selectors.mentor_load(mentor=pairing.mentor)
    manager = selectors.can_manage(user, pairing)
    party = selectors.is_party(user, pairing)
    logging = pairing.status in selectors.LOGGING_STATUSES
    context = {
        "pairing": pairing,
        "load": load,
        "is_mentor": selectors.is_mentor(user, pairing),
        "is_party": party,
        "can_manage": manager,
        "can_log": party and logging,
        "can_renew": selectors.can_renew(user, pairing),
        "can_appraise": selectors.is_mentor(user, pairing)
        and pairing.status in selectors.HELD_STATUSES,
        "warn_load": manager and pairing.status == Pairing.Status.PROPOSED and load.at_maximum,
        "overload_message": services.overload_message(mentor=pairing.mentor, load=load),
        "renewal": selectors.renewal_of(pairing),
        "compliance": pairing_compliance(pairing=pairing),
        "observations": selectors.pairing_observations(pairing=pairing, user=user),
        "sessions": selectors.guidance_sessions(pairing=pairing, user=user),
        "outcomes": [
            o for o in mentor_outcomes(mentor=pairing.mentor) if o.pairing_id == pairing.pk
        ],
        "report_class": pairing.report_class if pairing.report_class_id else None,
    }
    return render(request, "mentoring/detail.html", context)


@require_POST
def pairing_approve(request, pk: int):
    pairing = selectors.get_pairing_to_manage(user=request.user, pk=pk)
    try:
        services.pairing_approve(
            pairing=pairing, by=request.user, approve_anyway=bool(request.POST.get("anyway"))
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The pairing is approved and active."))
    return _back(pairing)


def _reason_page(request, pk: int, *, service, required: bool, title: str, done: str):
    pairing = selectors.get_pairing_to_manage(user=request.user, pk=pk)
    form = forms.ReasonForm(request.POST or None, required=required)
    if request.method == "POST" and form.is_valid():
        try:
            service(pairing=pairing, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return _back(pairing)
    context = {"pairing": pairing, "form": form, "title": title}
    return render(request, "mentoring/reason.html", context)


def pairing_decline(request, pk: int):
    return _reason_page(
        request,
        pk,
        service=services.pairing_decline,
        required=False,
        title=_("Decline the proposal"),
        done=_("The proposal was declined."),
    )


def pairing_end(request, pk: int):
    return _reason_page(
        request,
        pk,
        service=services.pairing_end_early,
        required=True,
        title=_("End the pairing early"),
        done=_("The pairing was ended early."),
    )


@require_POST
def pairing_complete(request, pk: int):
    pairing = selectors.get_pairing_to_manage(user=request.user, pk=pk)
    try:
        services.pairing_complete(pairing=pairing, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The pairing is completed."))
    return _back(pairing)


@require_POST
def pairing_renew(request, pk: int):
    pairing = selectors.get_pairing(user=request.user, pk=pk)
    if not selectors.can_renew(request.user, pairing):
        raise PermissionDenied
    try:
        renewal = services.pairing_renew(pairing=pairing, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
        return _back(pairing)
    messages.success(request, _("The renewal is proposed for approval."))
    return _back(renewal)


def pairing_appraisal(request, pk: int):
    pairing = selectors.get_pairing_for_party(user=request.user, pk=pk, mentor_only=True)
    report_classes = selectors.report_class_choices(pairing=pairing)
    initial = {"final_appraisal": pairing.final_appraisal, "report_class": pairing.report_class_id}
    form = forms.AppraisalForm(request.POST or None, initial=initial, report_classes=report_classes)
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_appraise(pairing=pairing, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("The final appraisal is saved."))
            return _back(pairing)
    return render(request, "mentoring/appraisal.html", {"pairing": pairing, "form": form})


# -- activity ------------------------------------------------------------------------------------
def pairing_observe(request, pk: int):
    user = request.user
    pairing = selectors.get_pairing_for_party(user=user, pk=pk)
    observed = selectors.other_party(user, pairing)
    form = forms.ObservationForm(request.POST or None, observed=observed)
    if request.method == "POST" and form.is_valid():
        submit = forms.SUBMIT_BUTTON in request.POST
        try:
            services.pairing_observe(pairing=pairing, by=user, submit=submit, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            if submit:
                messages.success(request, _("The observation is saved and submitted."))
            else:
                messages.success(request, _("The observation is saved as a draft in your records."))
            return _back(pairing)
    context = {"pairing": pairing, "form": form, "observed": observed}
    return render(request, "mentoring/observe.html", context)


def session_new(request, pk: int):
    pairing = selectors.get_pairing_for_party(user=request.user, pk=pk)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_log(pairing=pairing, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The session is logged; the other party is asked to confirm it.")
            )
            return _back(pairing)
    return render(request, "mentoring/session_form.html", {"pairing": pairing, "form": form})


@require_POST
def session_confirm(request, pk: int):
    session = selectors.get_session_to_confirm(user=request.user, pk=pk)
    services.session_confirm(session=session, by=request.user)
    if request.htmx:
        sessions = selectors.guidance_sessions(pairing=session.pairing, user=request.user)
        row = next(s for s in sessions if s.pk == session.pk)
        context = {"session": row, "pairing": session.pairing}
        return render(request, "mentoring/_sessions.html#session-row", context)
    messages.success(request, _("The session is confirmed."))
    return _back(session.pairing)


# -- the contract --------------------------------------------------------------------------------
def pairing_contract(request, pk: int):
    """POST: print the contract as a job (its page shows progress and the download); GET
    with ?html=1 shows a superuser the markup, to work on the template."""
    pairing = selectors.get_pairing(user=request.user, pk=pk)
    if request.method != "POST":
        if request.GET.get("html") and request.user.is_superuser:
            return HttpResponse(pdf.contract_html(pairing=pairing))
        return redirect("mentoring:detail", pk=pairing.pk)
    language = translation.get_language() or "zh-hans"
    job = job_create(
        kind=pdf.KIND,
        requested_by=request.user,
        params={
            "pairing": pairing.pk,
            "label": f"{pairing.mentor.name} / {pairing.apprentice.name}",
        },
        fingerprint=pdf.contract_fingerprint(pairing=pairing, language=language),
    )
    return redirect("job", pk=job.pk)


urlpatterns = [
    path("", pairing_list, name="list"),
    path("new/", pairing_new, name="new"),
    path("mentors/", mentor_list, name="mentors"),
    path("<id:pk>/", pairing_detail, name="detail"),
    path("<id:pk>/approve/", pairing_approve, name="approve"),
    path("<id:pk>/decline/", pairing_decline, name="decline"),
    path("<id:pk>/end/", pairing_end, name="end"),
    path("<id:pk>/complete/", pairing_complete, name="complete"),
    path("<id:pk>/renew/", pairing_renew, name="renew"),
    path("<id:pk>/appraisal/", pairing_appraisal, name="appraisal"),
    path("<id:pk>/observe/", pairing_observe, name="observe"),
    path("<id:pk>/sessions/new/", session_new, name="session_new"),
    path("sessions/<id:pk>/confirm/", session_confirm, name="session_confirm"),
    path("<id:pk>/contract/", pairing_contract, name="contract"),
]
