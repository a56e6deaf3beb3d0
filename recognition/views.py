"""Pages of allowances and rewards: thin, the rules are in services and sheet."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.job_files import list_export

from . import exports, selectors, services
from .forms import PayForm, RateForm, RewardForm, add_service_errors, parse_month
from .models import Reward
from .sheet import add_months, allowance_sheet, current_month


def _sheet_url(school, month) -> str:
    query = urlencode({"school": school.pk, "month": month.strftime("%Y-%m")})
    return f"{reverse('recognition:sheet')}?{query}"


def sheet(request):
    user = request.user
    selectors.require_reader(user)
    school = selectors.get_school(user, request.GET.get("school"))
    month = parse_month(request.GET.get("month")) or current_month()
    context = {
        "sheet": allowance_sheet(school=school, month=month),
        "school": school,
        "schools": selectors.readable_schools(user),
        "month": month,
        "previous": add_months(month, -1),
        "next": add_months(month, 1),
        "this_month": current_month(),
        "can_pay": user.scope.can_manage_school(school.pk),
        "form": PayForm(),
        "query": urlencode({"school": school.pk, "month": month.strftime("%Y-%m")}),
    }
    return render(request, "recognition/sheet.html", context)


@require_POST
def sheet_pay(request):
    user = request.user
    selectors.require_reader(user)
    school = selectors.get_school(user, request.POST.get("school"), write=True)
    month = parse_month(request.POST.get("month"))
    if month is None:
        raise Http404
    form = PayForm(request.POST)
    if form.is_valid():
        try:
            payments = services.allowance_month_pay(
                school=school,
                month=month,
                paid_on=form.cleaned_data["paid_on"],
                with_arrears=form.cleaned_data["with_arrears"],
                by=user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if payments:
                count = len(payments)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d allowance marked paid.",
                        "%(count)d allowances marked paid.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                messages.info(request, _("Nothing left to pay: every allowance is paid."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_sheet_url(school, month))


def _require_owner_readable(request) -> None:
    """A file is filed under a school or a district (core.job_files); a school whose
    allowances the user does not read (a committee member's) gets no file."""
    kind, _sep, pk = request.POST.get("owner", "").partition("=")
    if kind == "school" and not selectors.readable_schools(request.user).filter(pk=pk).exists():
        raise PermissionDenied


@require_POST
def sheet_export(request):
    selectors.require_reader(request.user)
    _require_owner_readable(request)
    return list_export(
        request, kind=exports.SHEET_KIND, params={"query": request.POST.get("query", "")}
    )


def rates(request):
    user = request.user
    selectors.require_reader(user)
    rows = list(selectors.rate_list(user))
    this_month = current_month()
    in_force = {}
    for rate in rows:  # newest first within each rate
        key = (rate.district_id, rate.school_id, rate.kind, rate.tier_id)
        if rate.valid_from <= this_month and key not in in_force:
            in_force[key] = rate.pk
    context = {
        "rates": rows,
        "in_force": set(in_force.values()),
        "can_set": selectors.writable_districts(user).exists()
        or selectors.writable_schools(user).exists(),
    }
    return render(request, "recognition/rates.html", context)


def rate_new(request):
    user = request.user
    selectors.require_reader(user)
    form = RateForm(request.POST or None, user=user, initial={"valid_from": current_month()})
    if not form.fields["applies_to"].choices:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rate_set(
                district=data["district"],
                school=data["school"],
                kind=data["kind"],
                tier=data["tier"],
                amount=data["amount"],
                valid_from=data["valid_from"],
                by=user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rate saved."))
            return redirect("recognition:rates")
    return render(request, "recognition/rate_form.html", {"form": form})


def rewards(request):
    user = request.user
    selectors.require_reader(user)
    school = selectors.get_school(user, request.GET.get("school"))
    items = list(selectors.reward_list(user, school=school))
    context = {
        "school": school,
        "schools": selectors.readable_schools(user),
        "rewards": items,
        "proposed": [r for r in items if r.status == Reward.Status.PROPOSED],
        "can_manage": user.scope.can_manage_school(school.pk),
        "can_decide": selectors.can_decide_at(user, school.pk),
        "query": urlencode({"school": school.pk}),
    }
    return render(request, "recognition/rewards.html", context)


def reward_new(request):
    user = request.user
    selectors.require_reader(user)
    school = selectors.get_school(
        user, request.POST.get("school") or request.GET.get("school"), write=True
    )
    form = RewardForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reward_record(school=school, by=user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Reward recorded."))
            return redirect(f"{reverse('recognition:rewards')}?school={school.pk}")
    return render(request, "recognition/reward_form.html", {"form": form, "school": school})


@require_POST
def reward_decide(request):
    user = request.user
    selectors.require_reader(user)
    reward = selectors.get_reward(user, request.POST.get("reward"), write=True)
    if not selectors.can_decide(user, reward):
        raise PermissionDenied
    try:
        services.reward_decide(
            reward=reward, approve=request.POST.get("decision") == "approve", by=user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision saved."))
    return redirect(f"{reverse('recognition:rewards')}?school={reward.school_id}")


@require_POST
def rewards_export(request):
    selectors.require_reader(request.user)
    _require_owner_readable(request)
    return list_export(
        request, kind=exports.REWARDS_KIND, params={"query": request.POST.get("query", "")}
    )
