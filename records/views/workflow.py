"""The verification workflow: submit, verify, return and archive a record; the training
office's queue with bulk verify; the audit trail; attachments (upload, remove, download).

Record pages of every kind show the shared partials (records/_workflow_actions.html,
_attachments.html, _audit.html); ``workflow_context`` builds what they need."""

import logging

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from core.files import download_response
from core.forms import Form, parse_ids

from ..files import accepted_extensions, upload_help
from ..models import Attachment, Record, Status
from ..selectors import workflow as selectors
from ..services.files import attachment_add, attachment_remove
from ..services.workflow import (
    record_archive,
    record_return,
    record_submit,
    record_verify,
    record_withdraw,
    records_verify_bulk,
)

logger = logging.getLogger(__name__)
PAGE_SIZE = 25


# -- forms (they parse input; the rules live in records.services) -----------------------------
class AttachmentForm(Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm"}),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("What it is"),
        choices=[("", gettext_lazy("Decided by the file")), *Attachment.Role.choices],
        initial="",
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = accepted_extensions()
        self.fields["file"].help_text = upload_help()


class ReturnForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for returning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The teacher sees this and can correct the record."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    @property
    def helper(self) -> FormHelper:
        helper = FormHelper()
        button = Submit("submit", _("Return to the teacher"))
        button.field_classes = "btn btn-danger"
        helper.add_input(button)
        return helper


# -- helpers --------------------------------------------------------------------------------
def _safe_next(request, *, referer: bool = True) -> str | None:
    candidates = [request.POST.get("next"), request.GET.get("next")]
    if referer:
        candidates.append(request.headers.get("referer"))
    for url in candidates:
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return None


def _record_url(record: Record) -> str:
    return reverse("records:detail", args=[record.pk])


def _back(request, record: Record, *, referer: bool = True):
    return redirect(_safe_next(request, referer=referer) or _record_url(record))


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _require_verifier_anywhere(user) -> None:
    """The queue is the managers'; staff who only read get a 403, anyone else a 404."""
    if selectors.can_verify_anywhere(user=user):
        return
    if user.scope.is_school_staff or user.scope.is_district_office:
        raise PermissionDenied
    raise Http404


def _attachment_form(record: Record, *args) -> AttachmentForm:
    # Ids of its own, should a page show the files of several records.
    return AttachmentForm(*args, auto_id=f"id_attachment_{record.pk}_%s")


def workflow_context(request, record: Record) -> dict:
    """Everything the shared partials need; record pages of every kind merge it in."""
    user = request.user
    return {
        "record": record,
        "attachments": selectors.record_attachments(record=record),
        "audit_entries": (
            selectors.audit_trail(record=record)
            if selectors.can_read_audit(user=user, record=record)
            else []
        ),
        "can_edit": selectors.can_edit(user=user, record=record),
        "can_verify": selectors.can_verify(user=user, record=record),
        "can_withdraw": record.status in (Status.SUBMITTED, Status.PLANNED)
        and selectors.is_author(user=user, record=record),
        "can_submit": selectors.can_submit(user=user, record=record),
        "attachment_form": _attachment_form(record),
    }


# -- workflow -------------------------------------------------------------------------------
@require_POST
def submit(request, pk: int):
    record = selectors.get_record(user=request.user, pk=pk)
    try:
        record_submit(record=record, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        done = (
            _("“%(title)s” is on the calendar as planned; submit it once it has taken place.")
            if record.status == Status.PLANNED
            else _("“%(title)s” was submitted for verification.")
        )
        messages.success(request, done % {"title": record.title})
    return _back(request, record)


@require_POST
def withdraw(request, pk: int):
    record = selectors.get_record(user=request.user, pk=pk)
    try:
        record_withdraw(record=record, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("“%(title)s” was withdrawn: it is a draft again; change it and submit it anew.")
            % {"title": record.title},
        )
    return _back(request, record)


@require_POST
def verify(request, pk: int):
    record = selectors.get_record(user=request.user, pk=pk)
    try:
        record_verify(record=record, by=request.user)
    except ValidationError as exc:
        if request.htmx:
            context = {"r": record, "error": " ".join(exc.messages)}
            return render(request, "records/workflow/queue.html#done_row", context)
        _error(request, exc)
        return _back(request, record)
    if request.htmx:
        return render(request, "records/workflow/queue.html#done_row", {"r": record})
    messages.success(request, _("“%(title)s” was verified.") % {"title": record.title})
    return _back(request, record)


def return_record(request, pk: int):
    record = selectors.get_record(user=request.user, pk=pk)
    if not selectors.can_verify(user=request.user, record=record):
        raise PermissionDenied
    form = ReturnForm(request.POST or None, initial={"next": _safe_next(request, referer=True)})
    if request.method == "POST" and form.is_valid():
        try:
            record_return(record=record, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("“%(title)s” was returned to %(name)s.")
                % {"title": record.title, "name": record.teacher.name},
            )
            return _back(request, record, referer=False)
    context = {
        "record": record,
        "form": form,
        "can_return": record.status in (Status.SUBMITTED, Status.VERIFIED),
    }
    return render(request, "records/workflow/return.html", context)


@require_POST
def archive(request, pk: int):
    record = selectors.get_record(user=request.user, pk=pk)
    try:
        record_archive(record=record, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("“%(title)s” was archived; it and its files are kept.") % {"title": record.title},
        )
    return _back(request, record)


# -- the queue ------------------------------------------------------------------------------
def queue(request):
    _require_verifier_anywhere(request.user)
    filterset = selectors.QueueFilter(
        request.GET, queryset=selectors.verification_queue(user=request.user), user=request.user
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode()}
    template = "records/workflow/queue.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_POST
def verify_bulk(request):
    _require_verifier_anywhere(request.user)
    ids = parse_ids(request.POST.getlist("records"))
    if not ids:
        messages.warning(request, _("Select the records to verify first."))
        return redirect(_safe_next(request) or reverse("records:queue"))
    count = records_verify_bulk(records=[Record(pk=pk) for pk in ids], by=request.user)
    messages.success(
        request,
        ngettext("%(count)d record verified.", "%(count)d records verified.", count)
        % {"count": count},
    )
    if count < len(ids):
        messages.warning(
            request,
            ngettext(
                "%(count)d selected record was left alone: it no longer awaits verification "
                "or has not taken place yet.",
                "%(count)d selected records were left alone: they no longer await verification "
                "or have not taken place yet.",
                len(ids) - count,
            )
            % {"count": len(ids) - count},
        )
    return redirect(_safe_next(request) or reverse("records:queue"))


# -- the audit trail ------------------------------------------------------------------------
def audit(request, pk: int):
    record = selectors.get_record(user=request.user, pk=pk)
    if not selectors.can_read_audit(user=request.user, record=record):
        raise PermissionDenied
    context = {
        "record": record,
        "audit_entries": selectors.audit_trail(record=record),
        "can_verify": selectors.can_verify(user=request.user, record=record),
    }
    return render(request, "records/workflow/audit.html", context)


# -- attachments ----------------------------------------------------------------------------
def _attachments_partial(request, record: Record, form: AttachmentForm | None = None):
    context = workflow_context(request, record)
    # The page the partial sits in, so forms without htmx still come back to it.
    context["next_url"] = request.htmx.current_url_abs_path or _safe_next(request)
    if form is not None:
        context["attachment_form"] = form
    return render(request, "records/_attachments.html", context)


@require_POST
def attachment_add_view(request, pk: int):
    record = selectors.get_record(user=request.user, pk=pk)
    if not selectors.is_author(user=request.user, record=record):
        raise PermissionDenied
    form = _attachment_form(record, request.POST, request.FILES)
    attachment = None
    if form.is_valid():
        try:
            attachment = attachment_add(
                record=record,
                upload=form.cleaned_data["file"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("file" if not hasattr(exc, "error_dict") else None, exc.messages)
    if request.htmx:
        return _attachments_partial(request, record, None if attachment else form)
    if attachment is None:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    else:
        messages.success(request, _("%(name)s was attached.") % {"name": attachment.original_name})
    return _back(request, record)


@require_POST
def attachment_remove_view(request, pk: int):
    attachment = selectors.get_attachment(user=request.user, pk=pk)
    record = attachment.record
    if not selectors.is_author(user=request.user, record=record):
        raise PermissionDenied
    try:
        attachment_remove(attachment=attachment, by=request.user)
    except ValidationError as exc:
        if request.htmx:
            form = _attachment_form(record)
            form.add_error(None, exc.messages)
            return _attachments_partial(request, record, form)
        _error(request, exc)
    else:
        if request.htmx:
            return _attachments_partial(request, record)
        messages.success(request, _("%(name)s was removed.") % {"name": attachment.original_name})
    return _back(request, record)


@require_safe
def attachment_download(request, pk: int):
    attachment = selectors.get_attachment(user=request.user, pk=pk)
    try:
        fileobj = attachment.file.storage.open(attachment.file.name, "rb")
    except FileNotFoundError:
        logger.error("attachment %s: stored file %s is missing", attachment.pk, attachment.file)
        raise Http404 from None
    return download_response(
        fileobj, filename=attachment.original_name, content_type=attachment.content_type
    )


urlpatterns = [
    path("verification/", queue, name="queue"),
    path("verification/verify/", verify_bulk, name="verify_bulk"),
    path("<id:pk>/submit/", submit, name="submit"),
    path("<id:pk>/withdraw/", withdraw, name="withdraw"),
    path("<id:pk>/verify/", verify, name="verify"),
    path("<id:pk>/return/", return_record, name="return"),
    path("<id:pk>/archive/", archive, name="archive"),
    path("<id:pk>/audit/", audit, name="audit"),
    path("<id:pk>/attachments/", attachment_add_view, name="attachment_add"),
    path("attachments/<id:pk>/remove/", attachment_remove_view, name="attachment_remove"),
    path("attachments/<id:pk>/download/", attachment_download, name="attachment_download"),
]
