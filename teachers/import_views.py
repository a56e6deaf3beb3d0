"""Roster import in two steps: upload (a dry run shown as a preview), then confirm.

The uploaded file waits under MEDIA_ROOT/imports/ between the two steps; the session holds
its name, the school and the options. The rules live in teachers.importing."""

import logging
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.models import School
from core.tabular import TableError
from core.uploads import pending_discard, pending_path, pending_save

from .importing import ImportResult, column_help, roster_import

SESSION_KEY = "roster_import"
MAX_UPLOAD_MB = 5
logger = logging.getLogger(__name__)


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy("An .xlsx or .csv file with the column headers in the first row."),
        validators=[FileExtensionValidator(["xlsx", "csv"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
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

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_MB}
            )
        return upload


def _managed_schools(request):
    schools = request.user.scope.schools(write=True)
    if not schools.exists():
        raise Http404
    return schools


def _run(pending: dict, school: School, *, dry_run: bool) -> ImportResult:
    with pending_path(pending).open("rb") as fileobj:
        return roster_import(
            school=school,
            fileobj=fileobj,
            filename=pending["file"],
            create_groups=pending["create_groups"],
            dry_run=dry_run,
        )


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
    if not pending or not pending_path(pending).exists():
        pending_discard(request, SESSION_KEY)
        messages.warning(
            request, _("There is no uploaded roster waiting for confirmation. Upload it again.")
        )
        return redirect("teachers:import")
    school = schools.filter(pk=pending["school"]).first()
    if school is None:
        pending_discard(request, SESSION_KEY)
        raise Http404
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
    messages.success(
        request,
        _(
            "Roster imported into %(school)s: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged."
        )
        % {
            "school": school.name,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return redirect("teachers:list")
