"""The account page where each user makes, lists and revokes their own API tokens."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from ..forms import TokenForm
from ..models import ApiToken
from ..tokens import may_push_hours, token_create, token_list, token_revoke


def tokens(request):
    form = TokenForm(request.POST or None, user=request.user)
    new_token = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["days"]
        try:
            _token, new_token = token_create(
                user=request.user,
                scope=form.cleaned_data["scope"],
                name=form.cleaned_data["name"],
                expires_at=timezone.now() + datetime.timedelta(days=days) if days else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = TokenForm(user=request.user)
    context = {
        "form": form,
        "tokens": token_list(user=request.user),
        "new_token": new_token,
        "may_push": may_push_hours(request.user),
    }
    return render(request, "api/tokens.html", context)


@require_POST
def token_revoke_view(request, pk: int):
    # Only one's own tokens: anyone else's is not found.
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    if token_revoke(token=token):
        messages.success(request, _("The token was revoked: it no longer opens the API."))
    return redirect("api_tokens")
