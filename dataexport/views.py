"""The data export page (数据导出): what the ZIP holds, and a button that starts the job."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from core.export_tables import export_tables
from core.forms import Form
from core.jobs import job_create
from core.models import District, School

from .jobs import KIND
from .targets import export_choices, may_export, resolve_target


class DataExportForm(Form):
    owner = forms.ChoiceField(label=_("What to export"), widget=forms.RadioSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = export_choices(user)
        self.fields["owner"].choices = choices
        self.fields["owner"].initial = choices[0][0] if choices else None

    def params(self) -> dict:
        kind, pk = self.cleaned_data["owner"].split("=")
        return {kind: int(pk)}


def data_export(request):
    if not may_export(request.user):
        raise PermissionDenied
    form = DataExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        # The choices already hold only what the user may export; resolve_target checks it
        # again here and the job checks once more when it runs.
        target = resolve_target(request.user, form.params())
        job = job_create(
            kind=KIND,
            requested_by=request.user,
            params=target.params,
            school=School.objects.get(pk=target.school_ids[0])
            if not target.whole_district
            else None,
            district=District.objects.get(pk=target.district_ids[0])
            if target.whole_district
            else None,
        )
        return redirect("job", pk=job.pk)
    context = {"form": form, "tables": export_tables()}
    return render(request, "dataexport/data_export.html", context)
