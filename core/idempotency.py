"""Exactly-once POSTs for the offline outbox (static/js/offline/outbox.js).

The outbox sends ``Idempotency-Key: <uuid>`` and ``X-Gugan-Outbox: 1`` and expects JSON. The
key row is inserted first, inside the request's transaction, under a unique constraint: a second
request with the same key waits on PostgreSQL's unique index until the first commits, then finds
the row and gets the stored answer. A refused request (status 4xx) rolls back, key included, so
the teacher can fix the form and send it again."""

import datetime
import uuid

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
KEEP_DAYS = 7


def from_outbox(request) -> bool:
    return request.headers.get("X-Gugan-Outbox") == "1"


def refused(message: str, *, errors: dict | None = None, status: int = 422) -> JsonResponse:
    """The JSON answer the outbox shows the teacher beside the queued item."""
    return JsonResponse({"ok": False, "message": message, "errors": errors or {}}, status=status)


def accepted(request, message: str, *, location: str = "") -> JsonResponse:
    """Saved. When the page that sent it follows ``location`` (header X-Gugan-Follow), the
    message shows there as usual; a background sync shows it in the page it runs in."""
    if request.headers.get("X-Gugan-Follow") == "1":
        messages.success(request, message)
    return JsonResponse({"ok": True, "message": message, "location": location})


def run_once(request, *, endpoint: str, run) -> HttpResponse:
    """Call ``run()`` at most once per (user, key); without a key it simply runs."""
    raw = request.headers.get(HEADER, "")
    if not raw or request.method != "POST":
        return run()
    try:
        key = uuid.UUID(raw)
    except ValueError:
        return refused(_("The request carries an invalid idempotency key."), status=400)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(user=request.user, key=key, endpoint=endpoint)
        except IntegrityError:
            row = IdempotencyKey.objects.get(user=request.user, key=key)
            if row.endpoint != endpoint:
                return refused(_("This idempotency key was used for another form."), status=409)
            return HttpResponse(row.body, status=row.status, content_type="application/json")
        response = run()
        if response.status_code >= 400:
            transaction.set_rollback(True)
            return response
        row.status = response.status_code
        row.body = response.content.decode()[:10000]
        row.save(update_fields=["status", "body"])
        return response


def keys_cleanup(*, now=None) -> int:
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=KEEP_DAYS)
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def form_errors(form) -> dict:
    """Field errors of a form or formset as {field name: [messages]} in the user's language."""
    if hasattr(form, "forms"):
        out = {}
        for sub in form.forms:
            for name, errs in sub.errors.items():
                out[sub.add_prefix(name)] = list(errs)
        if form.non_form_errors():
            out["__all__"] = list(form.non_form_errors())
        return out
    return {name: list(errs) for name, errs in form.errors.items()}


__all__ = ["accepted", "form_errors", "from_outbox", "keys_cleanup", "refused", "run_once"]
