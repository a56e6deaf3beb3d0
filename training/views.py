"""The organiser's pages: programmes, sessions, enrolment and the phone register. Views scope
the lookup, call a selector or a service, and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors, is_id, parse_ids
from core.jobs import job_create
from core.models import school_year_start
from teachers.models import Teacher

from . import applications, certificates, feedback, forms, ledger, rules, selectors, services
from .models import Attendance, Programme, Session


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


_can_edit = selectors.can_edit


# -- programmes ----------------------------------------------------------------------------------
def programme_list(request):
    if not selectors.sees_programmes(request.user):
        raise Http404
    year = request.GET.get("year", "")
    year = (
        int(year) if year.isdigit() and len(year) == 4 else school_year_start(timezone.localdate())
    )
    context = {
        "programmes": selectors.programme_list(user=request.user, year=year),
        "year": year,
        "years": [year - 1, year, year + 1],
        "can_create": selectors.organises_any(request.user),
    }
    return render(request, "training/programme_list.html", context)


def _programme_form(request, programme: Programme):
    form = forms.ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_save(
                programme=form.instance,
                by=request.user,
                tiers=form.cleaned_data["audience_tiers"],
                groups=form.cleaned_data["audience_groups"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("training:programme", pk=programme.pk)
    return render(request, "training/programme_form.html", {"form": form, "programme": programme})


def programme_new(request):
    if not selectors.organises_any(request.user):
        raise PermissionDenied
    # ?title=: "create a programme from this topic" on the training-needs survey's results
    return _programme_form(request, Programme(title=request.GET.get("title", "").strip()[:200]))


def programme_edit(request, pk: int):
    return _programme_form(request, selectors.get_programme(user=request.user, pk=pk, write=True))


def programme_detail(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk)
    can_edit = _can_edit(request.user, programme)
    nominates = not can_edit and bool(
        services.nominating_school_ids(programme=programme, by=request.user)
    )
    trainees = list(selectors.enrolments(user=request.user, programme=programme))
    sessions = list(selectors.sessions_of(programme=programme))
    standing = rules.standing(programme=programme, enrolments=trainees, sessions=sessions)
    answers = feedback.summaries(sessions=sessions)
    for session in sessions:
        session.feedback_summary = answers.get(session.pk)
    for enrolment in trainees:
        enrolment.standing = standing[enrolment.teacher_id]
    context = {
        "programme": programme,
        "sessions": sessions,
        "trainees": trainees,
        "can_edit": can_edit,
        "lost_count": sum(1 for e in trainees if e.status == e.Status.PLACE_LOST),
        "can_nominate": nominates,
        "applications": applications.applications_for(user=request.user, programme=programme)
        if can_edit or nominates
        else [],
        "enrol_form": forms.EnrolForm(
            teachers=_enrollable(request.user, programme, can_edit=can_edit).exclude(
                pk__in=[e.teacher_id for e in trainees]
            )
        )
        if can_edit or nominates
        else None,
    }
    return render(request, "training/programme_detail.html", context)


def _enrollable(user, programme: Programme, *, can_edit: bool):
    """The teachers the enrol form offers: the organiser's scope, or a nominating school's."""
    if can_edit:
        return services.audience_teachers(
            Programme(school_id=programme.school_id, district_id=programme.district_id)
        )
    schools = services.nominating_school_ids(programme=programme, by=user)
    return Teacher.objects.filter(is_active=True, school_id__in=schools)


@require_POST
def programme_enrol(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk)
    can_edit = _can_edit(request.user, programme)
    if not can_edit and not services.nominating_school_ids(programme=programme, by=request.user):
        raise PermissionDenied
    try:
        if request.POST.get("by") == "audience":
            count = services.enrol_audience(programme=programme, by=request.user)
        else:
            form = forms.EnrolForm(
                request.POST, teachers=_enrollable(request.user, programme, can_edit=can_edit)
            )
            if not form.is_valid():
                messages.error(request, " ".join(form.errors.get("teachers", [])))
                return redirect("training:programme", pk=pk)
            count = services.enrol_teachers(
                programme=programme, teachers=form.cleaned_data["teachers"], by=request.user
            )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(count)d trainees enrolled.") % {"count": count})
    return redirect("training:programme", pk=pk)


# -- sessions ------------------------------------------------------------------------------------
def _session_form(request, programme: Programme, session: Session):
    form = forms.SessionForm(request.POST or None, instance=session, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_save(session=form.instance, by=request.user)
            if "publish" in request.POST:
                session = services.session_publish(session=session, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("training:programme", pk=programme.pk)
    context = {"form": form, "programme": programme, "session": session}
    return render(request, "training/session_form.html", context)


def session_new(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk, write=True)
    return _session_form(request, programme, Session(programme=programme))


def session_edit(request, pk: int):
    session = selectors.get_session(user=request.user, pk=pk, write=True)
    return _session_form(request, session.programme, session)


@require_POST
def session_publish(request, pk: int):
    session = selectors.get_session(user=request.user, pk=pk, write=True)
    try:
        services.session_publish(session=session, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The session is published."))
    return redirect("training:programme", pk=session.programme_id)


# -- the register ----------------------------------------------------------------------------------
REGISTER_CHOICES = [
    (Attendance.Status.PRESENT, "check-lg", "success"),
    (Attendance.Status.LATE, "clock", "warning"),
    (Attendance.Status.LEFT_EARLY, "box-arrow-right", "warning"),
    (Attendance.Status.LEAVE, "envelope", "info"),
    (Attendance.Status.ABSENT, "x-lg", "danger"),
]


def _register_context(request, session: Session) -> dict:
    return {
        "session": session,
        "programme": session.programme,
        "rows": selectors.register_rows(user=request.user, session=session),
        "can_edit": ledger.register_editable(session=session, by=request.user),
        "choices": [
            (value, Attendance.Status(value).label, icon, colour)
            for value, icon, colour in REGISTER_CHOICES
        ],
        "is_open": session.date <= timezone.localdate(),
    }


def register(request, pk: int):
    session = selectors.get_session(user=request.user, pk=pk)
    if request.method == "POST":
        return _register_mark(request, session)
    return render(request, "training/register.html", _register_context(request, session))


def _register_mark(request, session: Session):
    if not ledger.register_editable(session=session, by=request.user):
        raise PermissionDenied
    teacher_id = request.POST.get("teacher", "")
    enrolment = (
        session.programme.enrolments.filter(teacher_id=int(teacher_id))
        .select_related("teacher")
        .first()
        if is_id(teacher_id)
        else None
    )
    error = ""
    if enrolment is None:
        error = _("This teacher is not enrolled in the programme.")
    else:
        try:
            ledger.register_mark(
                session=session,
                teacher=enrolment.teacher,
                status=request.POST.get("status", ""),
                reason=request.POST.get("reason", ""),
                by=request.user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if request.htmx and enrolment is not None:
        context = _register_context(request, session)
        row = next(r for r in context["rows"] if r[0].pk == enrolment.pk)
        context.update(row=row, error=error)
        return render(request, "training/register.html#line", context)
    if error:
        messages.error(request, error)
    return redirect("training:register", pk=session.pk)


@require_POST
def certificates_issue(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk, write=True)
    chosen = parse_ids(request.POST.getlist("teachers"))
    try:
        count = certificates.certificates_issue(
            programme=programme, teachers=list(chosen), by=request.user
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(count)d certificates issued.") % {"count": count})
    return redirect("training:programme", pk=pk)


@require_POST
def certificates_print(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk, write=True)
    job = job_create(
        kind=certificates.JOB_KIND,
        requested_by=request.user,
        params={"programme": programme.pk},
        school=programme.school,
        district=programme.district if programme.is_district else None,
        force=True,
    )
    return redirect("job", pk=job.pk)


urlpatterns = [
    path("<id:pk>/certificates/issue/", certificates_issue, name="certificates_issue"),
    path("<id:pk>/certificates/print/", certificates_print, name="certificates_print"),
    path("", programme_list, name="programmes"),
    path("new/", programme_new, name="programme_new"),
    path("<id:pk>/", programme_detail, name="programme"),
    path("<id:pk>/edit/", programme_edit, name="programme_edit"),
    path("<id:pk>/enrol/", programme_enrol, name="programme_enrol"),
    path("<id:pk>/sessions/new/", session_new, name="session_new"),
    path("sessions/<id:pk>/edit/", session_edit, name="session_edit"),
    path("sessions/<id:pk>/publish/", session_publish, name="session_publish"),
    path("sessions/<id:pk>/register/", register, name="register"),
]
