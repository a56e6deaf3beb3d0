"""Logging a record of any kind, changing it while it is a draft or returned, reading it, and
"My growth": the teacher's timeline, counts, hours meter and open items."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import school_year_label, school_year_start
from teachers.models import Teacher
from teachers.profile import render_profile_parts

from ..forms import SUBMIT_BUTTON, GrowthFilterForm, RecordForm, form_class_for
from ..forms_files import EntryFilesForm
from ..hours import hours_for
from ..models import Kind, Record, Status
from ..selectors import entries as selectors
from ..selectors.workflow import record_attachments
from ..services.entry import record_save_with_files
from ..services.workflow import record_submit
from .workflow import workflow_context

TIMELINE_PAGE_SIZE = 40


def _extra_template(kind: str) -> str:
    """Other parts of the records app add a section to a kind's page with a template
    ``records/kinds/<kind>_extra.html``, included when it exists."""
    name = f"records/kinds/{kind}_extra.html"
    try:
        select_template([name])
    except TemplateDoesNotExist:
        return ""
    return name


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _save(request, form: RecordForm, files_form: EntryFilesForm) -> Record | None:
    """Save the form and its files through the services in one go, and submit the record
    when the teacher pressed "Save and submit"; None (with the errors on the forms) when a
    service refuses."""
    record = form.save()
    uploads = files_form.cleaned_data["files"]
    try:
        record_save_with_files(
            record=record,
            uploads=uploads,
            role=files_form.cleaned_data["files_role"],
            by=request.user,
            after_save=form.save_m2m,
        )
    except ValidationError as exc:
        if uploads and not hasattr(exc, "error_dict"):
            files_form.add_error("files", exc.messages)
        else:
            _add_errors(form, exc)
        return None
    attached = (
        ngettext("%(count)d file attached.", "%(count)d files attached.", len(uploads))
        % {"count": len(uploads)}
        if uploads
        else ""
    )
    if SUBMIT_BUTTON in request.POST:
        try:
            record_submit(record=record, by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            done = (
                _(
                    "Saved and put on the open-class calendar as planned: colleagues can sign "
                    "up. Submit it for verification once the class has taken place."
                )
                if record.status == Status.PLANNED
                else _("Saved and submitted for verification.")
            )
            messages.success(request, f"{done} {attached}".strip())
            return record
    done = _("Saved as a draft. Submit it for verification when it is complete.")
    messages.success(request, f"{done} {attached}".strip())
    return record


def _entry_page(request, *, form, files_form, kind: str, record: Record | None = None):
    chosen = request.method == "POST" and bool(request.FILES.getlist("files"))
    context = {
        "form": form,
        "files_form": files_form,
        # A browser never keeps chosen files across a page with errors: the page says so.
        "files_lost": chosen,
        "record": record,
        "attachments": record_attachments(record=record) if record else [],
        "kind": kind,
        "kind_label": Kind(kind).label,
        "teacher": form.teacher,
        "submit_button": SUBMIT_BUTTON,
    }
    return render(request, "records/entries/form.html", context)


def _forms(request, form_class, **kwargs):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    return form_class(data, **kwargs), EntryFilesForm(data, files)


def record_new(request, kind: str):
    if kind not in Kind.values:
        raise Http404
    teacher = selectors.get_own_teacher(user=request.user)
    form, files_form = _forms(request, form_class_for(kind), teacher=teacher)
    if request.method == "POST":
        valid = form.is_valid() & files_form.is_valid()  # both, so every error shows at once
        record = _save(request, form, files_form) if valid else None
        if record is not None:
            return redirect("records:detail", pk=record.pk)
    return _entry_page(request, form=form, files_form=files_form, kind=kind)


def record_edit(request, pk: int):
    record = selectors.get_editable_record(user=request.user, pk=pk)
    form, files_form = _forms(
        request,
        form_class_for(record.kind),
        instance=selectors.kind_row(record),
        teacher=record.teacher,
    )
    if request.method == "POST":
        valid = form.is_valid() & files_form.is_valid()
        if valid and _save(request, form, files_form) is not None:
            return redirect("records:detail", pk=record.pk)
    return _entry_page(request, form=form, files_form=files_form, kind=record.kind, record=record)


def record_detail(request, pk: int):
    record = selectors.get_record(user=request.user, pk=pk)
    detail = selectors.kind_row(record)
    context = {
        **workflow_context(request, record),
        "detail": detail,
        "fields": selectors.record_fields(detail=detail, user=request.user),
        "is_author": record.teacher.user_id == request.user.pk,
        "extra_template": _extra_template(record.kind),
        "kind_icon": selectors.KIND_ICONS.get(record.kind, "journal"),
    }
    return render(request, "records/entries/detail.html", context)


# -- "My growth" ---------------------------------------------------------------------------------


def growth(request):
    teacher = (
        Teacher.objects.select_related("school__district", "group")
        .filter(user_id=request.user.pk)
        .first()
    )
    if teacher is None:
        raise Http404
    # The menu asks whether the user is a teacher: this is the answer, not one more query.
    Teacher._meta.get_field("user").remote_field.set_cached_value(request.user, teacher)
    return _growth_page(request, teacher)


def teacher_growth(request, pk: int):
    teacher = selectors.get_growth_teacher(user=request.user, pk=pk)
    return _growth_page(request, teacher)


def _growth_page(request, teacher: Teacher):
    user = request.user
    own = teacher.user_id == user.pk
    current = school_year_start(timezone.localdate())
    years = selectors.growth_years(user=user, teacher=teacher, current=current)
    form = GrowthFilterForm(request.GET, years=years, show_drafts=own)
    filters = form.filters
    hours_year = filters.get("year") or current
    timeline = selectors.growth_timeline(user=user, teacher=teacher, filters=filters)
    page = Paginator(timeline, TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "teacher": teacher,
        "own": own,
        "filter_form": form,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.growth_kind_counts(user=user, teacher=teacher, filters=filters),
        "hours": hours_for(teacher=teacher, year=hours_year),
        "hours_year": hours_year,
        "hours_year_label": school_year_label(hours_year),
        "attention": selectors.growth_attention(user=user, teacher=teacher),
        "new_kinds": _new_kinds() if own and teacher.is_active else [],
        "url": request.path,
    }
    # The growth page's cards from the apps above (the duties a teacher's stage expects).
    context["parts"] = render_profile_parts(request, teacher, context, places=("growth",))
    template = "records/growth/growth.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _new_kinds() -> list[dict]:
    return [
        {
            "kind": value,
            "label": label,
            "icon": selectors.KIND_ICONS[value],
            "hint": selectors.NEW_RECORD_HINTS[value],
        }
        for value, label in Kind.choices
    ]


urlpatterns = [
    path("new/<slug:kind>/", record_new, name="new"),
    path("<id:pk>/", record_detail, name="detail"),
    path("<id:pk>/edit/", record_edit, name="edit"),
    path("growth/", growth, name="growth"),
    path("growth/teacher/<id:pk>/", teacher_growth, name="teacher_growth"),
]
