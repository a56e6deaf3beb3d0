"""What every score-sheet page does with its POST, whatever the panel: save the draft, submit
it when asked, and say so; a refusal goes back to the sheet with the reason."""

from collections.abc import Callable, Mapping

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def sheet_post(request, *, round, values: Mapping, save: Callable, submit: Callable, to: tuple):
    """The owner's services ``save(round=, member=, values=)`` then, for the submit button,
    ``submit(round=, member=)``. ``to`` names the sheet page and the round page: back to the
    sheet after a draft or a refusal, on to the round once submitted."""
    sheet_page, round_page = to
    submitting = "submit" in request.POST
    try:
        save(round=round, member=request.user, values=values)
        if submitting:
            submit(round=round, member=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(sheet_page, pk=round.pk)
    if submitting:
        messages.success(request, _("Your score sheet was submitted."))
        return redirect(round_page, pk=round.pk)
    messages.success(request, _("Draft saved. Submit the sheet when every score is in."))
    return redirect(sheet_page, pk=round.pk)
