"""The office page that imports the continuing-education platform's xlsx export: for districts
whose platform does not push hours through the API (api.bureau)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from core.tabular import TableError

from ..bureau.importing import COLUMNS, REQUIRED, bureau_hours_import, summary
from ..forms import BureauHoursImportForm
from ..tokens import may_push_hours


def bureau_hours_import_page(request):
    if not may_push_hours(request.user):
        raise Http404
    form = BureauHoursImportForm(request.POST or None, request.FILES or None)
    result, problem = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = bureau_hours_import(
                user=request.user,
                fileobj=upload,
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
        except TableError as exc:
            problem = exc.message
        else:
            if result.ok and not result.dry_run:
                messages.success(request, summary(result))
                return redirect("bureau_hours_import")
    columns = [(COLUMNS[key][0], key in REQUIRED) for key in COLUMNS]
    context = {"form": form, "result": result, "problem": problem, "columns": columns}
    if result is not None and result.ok:
        context["summary"] = summary(result)
    return render(request, "api/bureau_hours_import.html", context)
