"""The projector screen with the rotating QR code, the teacher's sign-in page, and the
upload of a sign-in sheet."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import idempotency
from core.tabular import TableError

from . import forms, ledger, selectors, signin
from .importing import attendance_import
from .models import Attendance, Session


def projector(request, pk: int):
    session = selectors.get_session(user=request.user, pk=pk)
    if not ledger.register_editable(session=session, by=request.user):
        raise PermissionDenied
    now = timezone.now()
    step = signin.step_at(now)
    link = request.build_absolute_uri(
        reverse("training:signin")
        + "?"
        + urlencode({"s": session.code, "t": signin.token_for(session, step)})
    )
    opens, closes = signin.window(session)
    context = {
        "session": session,
        "programme": session.programme,
        "is_open": signin.is_open(session, now),
        "opens": opens,
        "closes": closes,
        "link": link,
        "signin_url": request.build_absolute_uri(reverse("training:signin")),
        "svg": signin.qr_svg(link) if signin.is_open(session, now) else None,
        "short_code": signin.short_code_for(session, step),
        "seconds_left": signin.seconds_left(now),
        "signed_in": session.attendances.filter(status__in=Attendance.ATTENDED).count(),
        "enrolled": session.programme.enrolments.active().count(),
    }
    template = "training/projector.html#code" if request.htmx else "training/projector.html"
    return render(request, template, context)


def _session_by_code(code: str) -> Session | None:
    if not code or len(code) > 12:
        return None
    return (
        Session.objects.published()
        .select_related("programme")
        .filter(code=code.strip().upper())
        .first()
    )


@login_not_required
def signin_page(request):
    """GET ?s=CODE&t=TOKEN (the QR code's link) or the short-code form; POST signs in."""
    now = timezone.now()
    session = _session_by_code(request.GET.get("s") or request.POST.get("s", ""))
    if session and signin.token_is_valid(session, request.GET.get("t", ""), now):
        signin.grant_pass(request.session, session)
    if not request.user.is_authenticated:
        # The pass survives the login; the link to come back to carries no token.
        back = reverse("training:signin") + (f"?s={session.code}" if session else "")
        return redirect_to_login(back)
    teacher = selectors.own_teacher(request.user)
    if teacher is None:
        raise Http404
    error, line = "", None
    if request.method == "POST":
        if request.POST.get("short_code"):
            session = signin.session_for_short_code(request.POST["short_code"], now)
            if session is None:
                error = _("This code is not valid now. Type the code shown on the screen.")
        elif session is None or not signin.has_pass(request.session, session, now):
            error = _("Scan the code again or type the code shown on the screen.")
        if session is not None and not error:
            try:
                line, _changed = signin.sign_in(
                    session=session, teacher=teacher, by=request.user, now=now
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
    if session is not None and line is None:
        line = session.attendances.filter(teacher=teacher).first()
    context = {
        "session": session,
        "line": line if line and line.attended else None,
        "error": error,
        "can_sign_in": session is not None
        and signin.has_pass(request.session, session, now)
        and not (line and line.attended),
    }
    return render(request, "training/signin.html", context, status=400 if error else 200)


@require_POST
def signin_offline(request):
    """A scan kept on the phone while offline (static/js/offline/signin.js), sent by the outbox
    with its scan time and the code's token: signed in at the scan time, exactly once."""
    return idempotency.run_once(
        request, endpoint="training_signin_offline", run=lambda: _signin_offline(request)
    )


def _signin_offline(request):
    outbox = idempotency.from_outbox(request)
    now = timezone.now()
    session = _session_by_code(request.POST.get("s", ""))
    teacher = selectors.own_teacher(request.user)
    back = reverse("training:signin") + (f"?s={session.code}" if session else "")
    error, text = "", ""
    if teacher is None:
        error = _("Only a teacher can sign in to a training session.")
    elif session is None:
        error = _("This code is not valid now. Type the code shown on the screen.")
    else:
        scanned_at = signin.scan_time(request.POST.get("scanned_at", ""))
        try:
            if scanned_at is None:
                raise ValidationError(_("The scan carries no valid time."))
            line, changed = signin.offline_sign_in(
                session=session,
                teacher=teacher,
                by=request.user,
                token=request.POST.get("t", ""),
                scanned_at=scanned_at,
                now=now,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            at = timezone.localtime(line.signed_in_at or scanned_at).strftime("%H:%M")
            values = {"theme": session.theme, "at": at}
            if changed:
                text = _("Signed in to “%(theme)s” at %(at)s, when you scanned the code.") % values
            else:
                text = _("You were already signed in to “%(theme)s”.") % {"theme": session.theme}
    if outbox:
        if error:
            return idempotency.refused(error)
        return idempotency.accepted(request, text, location=back)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, text)
    return redirect(back)


def attendance_import_page(request, pk: int):
    """The organiser uploads the attendance app's sign-in sheet (see training.importing)."""
    session = selectors.get_session(user=request.user, pk=pk, write=True)
    form = forms.AttendanceImportForm(request.POST or None, request.FILES or None)
    result, problem = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = attendance_import(
                session=session,
                fileobj=upload,
                filename=upload.name,
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except TableError as exc:
            problem = exc.message
        else:
            if result.ok and not result.dry_run:
                messages.success(
                    request,
                    _("%(signed_in)d signed in, %(unchanged)d unchanged.")
                    % {"signed_in": result.signed_in, "unchanged": result.unchanged},
                )
                return redirect("training:register", pk=session.pk)
    context = {
        "session": session,
        "programme": session.programme,
        "form": form,
        "result": result,
        "problem": problem,
    }
    return render(request, "training/attendance_import.html", context)


urlpatterns = [
    path("sessions/<id:pk>/import/", attendance_import_page, name="attendance_import"),
    path("sessions/<id:pk>/projector/", projector, name="projector"),
    path("sign-in/", signin_page, name="signin"),
    path("sign-in/offline/", signin_offline, name="signin_offline"),
]
