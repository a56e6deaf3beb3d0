"""The one way a view runs a write and tells the user how it went: a service's refusal
(ValidationError) becomes an error message, success a success message."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

T = TypeVar("T")


def perform(request, action: Callable[[], T], *, success) -> bool:
    """Run ``action``. ``success`` is the message, or makes it from the action's result; a
    message for a list of results may count them as ``%(n)d`` (``ngettext_lazy(..., "n")``).
    Returns whether it succeeded."""
    try:
        result = action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    message = success(result) if callable(success) else success
    if isinstance(result, list | tuple):
        message = message % {"n": len(result)}
    messages.success(request, str(message))
    return True


def post_action(*, lookup: Callable, run: Callable, success, to: str):
    """A view that POSTs one action on an object: ``lookup(user=, pk=)`` scopes it (404,
    403), ``run(round=, by=)`` is the service, then back to the object's page ``to``."""

    @require_POST
    def view(request, pk: int):
        obj = lookup(user=request.user, pk=pk)
        perform(request, lambda: run(round=obj, by=request.user), success=success)
        return redirect(to, pk=obj.pk)

    return view
