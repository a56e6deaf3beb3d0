"""Entering a competition, an entry's file, and taking an entry back."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import download_response
from core.forms import add_service_errors

from .. import forms, selectors
from ..services import entries as services


def entry_new(request, pk: int):
    contest = selectors.get_contest(user=request.user, pk=pk)
    teachers = services.entering_teachers(contest=contest, by=request.user).order_by("staff_no")
    if not teachers.exists():
        raise PermissionDenied
    form = forms.EntryForm(
        request.POST or None, request.FILES or None, contest=contest, teachers=teachers
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.entry_submit(
                contest=contest,
                teacher=data["teacher"],
                category=data["category"],
                title=data["title"],
                subject=data["subject"],
                grade=data["grade"],
                summary=data["summary"],
                upload=data["upload"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The entry was submitted."))
            return redirect("contests:contest", pk=contest.pk)
    context = {"contest": contest, "form": form, "open": services.is_open(contest)}
    return render(request, "contests/entry_form.html", context)


def entry_file(request, pk: int):
    entry = selectors.get_entry(user=request.user, pk=pk)
    if not entry.file:
        raise Http404
    return download_response(
        entry.file.open("rb"), filename=entry.original_name, content_type=entry.content_type
    )


@require_POST
def entry_withdraw(request, pk: int):
    entry = selectors.get_entry(user=request.user, pk=pk)
    contest_pk = entry.contest_id
    try:
        services.entry_withdraw(entry=entry, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The entry was withdrawn."))
    return redirect("contests:contest", pk=contest_pk)


urlpatterns = [
    path("<id:pk>/enter/", entry_new, name="entry_new"),
    path("entries/<id:pk>/file/", entry_file, name="entry_file"),
    path("entries/<id:pk>/withdraw/", entry_withdraw, name="entry_withdraw"),
]
