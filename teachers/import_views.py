"""Roster import in two steps: upload (a dry run shown as a preview), then confirm.

The uploaded file waits under MEDIA_ROOT/imports/ between the two steps; the session holds
its name, the school and the options. The rules live in teachers.importing."""

import logging
from pathlib import Path

from django import forms
from django.contrib import messages
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import Form, ImportFileField
from core.import_jobs import import_job_start, import_runs_as_job
from core.models import School
from core.tabular import TableError, count_rows
from core.uploads import pending_discard, pending_exists, pending_open, pending_save

from .importing import JOB_KIND, ImportResult, column_help, imported_message, roster_import

SESSION_KEY = "roster_import"
logger = logging.getLogger(__name__)


class RosterImportForm(Form):
    file = ImportFileField(label=gettext_lazy("Roster file"))
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=gettext_lazy("School"))
    create_groups = forms.BooleanField(
        required=False,
        label=gettext_lazy("Create missing groups"),
        help_text=gettext_lazy(
            "Create the teaching-research groups named in the file that the school does not "
            "have yet. Otherwise unknown group names are errors."
        ),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
            self.fields["school"].widget = forms.HiddenInput()


def _managed_schools(request):
    schools = request.user.scope.schools(write=True)
    if not schools.exists():
        raise Http404
    return schools


def _run(pending: dict, school: School, *, dry_run: bool) -> ImportResult:
    with pending_open(pending) as fileobj:
        return roster_import(
            school=school,
            fileobj=fileobj,
            filename=pending["file"],
            create_groups=pending["create_groups"],
            dry_run=dry_run,
        )


def _start_job(request, school: School, pending: dict, *, dry_run: bool):
    job = import_job_start(
        kind=JOB_KIND, user=request.user, school=school, pending=pending, dry_run=dry_run
    )
    if dry_run:
        request.session[SESSION_KEY] = {**pending, "job": job.pk}
    return redirect("job", pk=job.pk)


def _preview(request, result: ImportResult, school: School, pending: dict):
    context = {"result": result, "school": school, "filename": pending["filename"]}
    return render(request, "teachers/import_preview.html", context)


def roster_import_upload(request):
    schools = _managed_schools(request)
    if request.method != "POST":
        form = RosterImportForm(schools=schools)
        return render(
            request, "teachers/import_upload.html", {"form": form, "columns": column_help()}
        )

    allowed = {str(pk) for pk in schools.values_list("pk", flat=True)}
    if request.POST.get("school") and request.POST["school"] not in allowed:
        raise Http404
    form = RosterImportForm(request.POST, request.FILES, schools=schools)
    if form.is_valid():
        pending_discard(request, SESSION_KEY)
        upload, school = form.cleaned_data["file"], form.cleaned_data["school"]
        pending = {
            "file": pending_save(upload),
            "filename": Path(upload.name).name,
            "school": school.pk,
            "create_groups": form.cleaned_data["create_groups"],
        }
        try:
            with pending_open(pending) as fileobj:
                pending["rows"] = count_rows(fileobj, pending["file"])
            if import_runs_as_job(pending):
                # A large file is checked by a job: its page shows the progress, then the
                # problems or the confirm button.
                return _start_job(request, school, pending, dry_run=True)
            result = _run(pending, school, dry_run=True)
        except TableError as exc:
            pending_discard(request, SESSION_KEY, pending)
            form.add_error("file", exc.message)
        else:
            if result.ok:
                request.session[SESSION_KEY] = pending
            else:
                pending_discard(request, SESSION_KEY, pending)
            return _preview(request, result, school, pending)
    return render(request, "teachers/import_upload.html", {"form": form, "columns": column_help()})


@require_POST
def roster_import_confirm(request):
    schools = _managed_schools(request)
    pending = request.session.get(SESSION_KEY)
    if not pending or not pending_exists(pending):
        pending_discard(request, SESSION_KEY)
        messages.warning(
            request, _("There is no uploaded roster waiting for confirmation. Upload it again.")
        )
        return redirect("teachers:import")
    school = schools.filter(pk=pending["school"]).first()
    if school is None:
        pending_discard(request, SESSION_KEY)
        raise Http404
    if request.POST.get("job") and request.POST["job"] != str(pending.get("job")):
        # The confirm button of an older check: the waiting upload is another file.
        messages.warning(
            request, _("There is no uploaded roster waiting for confirmation. Upload it again.")
        )
        return redirect("teachers:import")
    if import_runs_as_job(pending):
        request.session.pop(SESSION_KEY, None)  # the job owns the file now
        return _start_job(request, school, pending, dry_run=False)
    try:
        result = _run(pending, school, dry_run=False)
    except TableError as exc:
        pending_discard(request, SESSION_KEY)
        messages.error(request, exc.message)
        return redirect("teachers:import")
    except DatabaseError:
        # One transaction: nothing was saved. Keep the upload, so confirming again retries it.
        logger.exception("roster import into school %s interrupted", school.pk)
        messages.error(
            request, _("The import was interrupted and nothing was saved. Confirm again to retry.")
        )
        return _preview(request, _run(pending, school, dry_run=True), school, pending)
    pending_discard(request, SESSION_KEY)
    if not result.ok:
        return _preview(request, result, school, pending)
    messages.success(request, imported_message(result, school))
    return redirect("teachers:list")
