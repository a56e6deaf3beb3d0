"""The office's page of exemptions from the school-based hours (long-cycle training): the
year's exemptions the user may see, with each teacher's hours, and for the school's managers
the form to grant one and the button to take one back."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.models import school_year_label
from core.scoping import get_for_user
from teachers.models import Teacher

from ..forms.exemptions import HoursExemptionForm
from ..hours import hours_for_teachers
from ..models import HoursExemption
from ..services.exemptions import (
    exemption_years,
    hours_exemption_grant,
    hours_exemption_withdraw,
)


def _may_see(user) -> bool:
    scope = user.scope
    return scope.is_superuser or scope.is_school_staff or scope.reads_districts


def _grantable_teachers(user):
    scope = user.scope
    teachers = Teacher.objects.filter(is_active=True).order_by("staff_no")
    if scope.is_superuser:
        return teachers
    return teachers.filter(school_id__in=scope.managed_school_ids)


def exemptions(request):
    user = request.user
    if not _may_see(user):
        raise Http404
    years = exemption_years()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and len(year) == 4 else years[0]
    can_grant = user.scope.is_superuser or bool(user.scope.managed_school_ids)
    form = None
    if can_grant:
        form = HoursExemptionForm(
            request.POST or None,
            teachers=_grantable_teachers(user),
            years=years,
            initial={"year": year if year in years else years[0]},
        )
        if request.method == "POST" and form.is_valid():
            try:
                exemption = hours_exemption_grant(
                    teacher=form.cleaned_data["teacher"],
                    year=form.cleaned_data["year"],
                    reason=form.cleaned_data["reason"],
                    by=user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is exempted from the school-based hours of %(year)s.")
                    % {"name": exemption.teacher.name, "year": exemption.year_label},
                )
                return redirect(f"{request.path}?year={exemption.year}")
    elif request.method == "POST":
        raise PermissionDenied
    rows = list(
        HoursExemption.objects.visible_to(user)
        .filter(year=year)
        .select_related("teacher__school", "granted_by")
        .order_by("teacher__school__code", "teacher__staff_no", "pk")
    )
    hours = hours_for_teachers(teachers=[e.teacher_id for e in rows], year=year)
    editable = set(
        HoursExemption.objects.editable_by(user)
        .filter(pk__in=[e.pk for e in rows])
        .values_list("pk", flat=True)
    )
    for exemption in rows:
        exemption.hours = hours[exemption.teacher_id]
        exemption.can_withdraw = exemption.pk in editable
    context = {
        "rows": rows,
        "year": year,
        "year_label": school_year_label(year),
        "years": [years[0] - 1, *years],
        "form": form,
    }
    return render(request, "records/exemptions.html", context)


@require_POST
def exemption_withdraw(request, pk: int):
    exemption = get_for_user(
        HoursExemption.objects.select_related("teacher"), request.user, write=True, pk=pk
    )
    hours_exemption_withdraw(exemption=exemption, by=request.user)
    messages.success(
        request,
        _("The exemption of %(name)s for %(year)s was withdrawn.")
        % {"name": exemption.teacher.name, "year": exemption.year_label},
    )
    return redirect(f"{reverse('records:exemptions')}?year={exemption.year}")


urlpatterns = [
    path("exemptions/", exemptions, name="exemptions"),
    path("exemptions/<id:pk>/withdraw/", exemption_withdraw, name="exemption_withdraw"),
]
