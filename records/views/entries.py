"""Logging a record of any kind, changing it while it is a draft or returned, reading it, and
"My growth": the teacher's timeline, counts, hours meter and open items."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import school_year_label, school_year_start
from teachers.models import Teacher

from ..forms import SUBMIT_BUTTON, GrowthFilterForm, RecordForm, form_class_for
from ..hours import hours_for
from ..models import Kind, Record
from ..selectors import entries as selectors
from ..services.workflow import record_save, record_submit
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


def _save(request, form: RecordForm) -> Record | None:
    """Save the form through the workflow service, and submit it when the teacher pressed
    "Save and submit"; None (with the errors on the form) when the service refuses."""
    record = form.save()
    try:
        with transaction.atomic():
            record_save(record=record, by=request.user)
            form.save_m2m()
    except ValidationError as exc:
        _add_errors(form, exc)
        return None
    if SUBMIT_BUTTON in request.POST:
        try:
            record_submit(record=record, by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Saved and submitted for verification."))
            return record
    messages.success(request, _("Saved as a draft. Add files, then submit it for verification."))
    return record


def record_new(request, kind: str):
    if kind not in Kind.values:
        raise Http404
    teacher = selectors.get_own_teacher(user=request.user)
    form = form_class_for(kind)(request.POST or None, teacher=teacher)
    if request.method == "POST" and form.is_valid():
        record = _save(request, form)
        if record is not None:
            return redirect("records:detail", pk=record.pk)
    context = {"form": form, "kind": kind, "kind_label": Kind(kind).label, "teacher": teacher}
    return render(request, "records/entries/form.html", context)


def record_edit(request, pk: int):
    record = selectors.get_editable_record(user=request.user, pk=pk)
    form = form_class_for(record.kind)(
        request.POST or None, instance=selectors.kind_row(record), teacher=record.teacher
    )
    if request.method == "POST" and form.is_valid() and _save(request, form) is not None:
        return redirect("records:detail", pk=record.pk)
    context = {
        "form": form,
        "record": record,
        "kind": record.kind,
        "kind_label": record.get_kind_display(),
        "teacher": record.teacher,
    }
    return render(request, "records/entries/form.html", context)


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
        "hours_year_label": school_year_label(hours_year),
        "attention": selectors.growth_attention(user=user, teacher=teacher),
        "new_kinds": _new_kinds() if own and teacher.is_active else [],
        "url": request.path,
    }
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
