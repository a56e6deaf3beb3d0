"""The honours pages: the lists (评优评先), their candidates and confirmation, the printed
commendation, a teacher's own honours, the priority lists and the performance pay. Views are
thin: scope, call a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.selectors import unreleased_grade_count
from core.actions import perform
from core.job_files import list_export
from core.jobs import job_create
from teachers.models import Teacher

from . import exports, lists, pdf, selectors, services
from .forms import HonourListForm, ProposeForm
from .reasons import candidate_reasons


# -- lists ---------------------------------------------------------------------------------------
def honour_lists(request):
    selectors.require_reader(request.user)
    current = selectors.current_year()
    managed = request.user.scope.schools(write=True)
    context = {
        "lists": selectors.honour_lists(user=request.user),
        "form": ProposeForm(schools=managed, current=current) if managed.exists() else None,
    }
    return render(request, "honours/lists.html", context)


@require_POST
def honour_list_new(request):
    selectors.require_reader(request.user)
    current = selectors.current_year()
    form = ProposeForm(
        request.POST, schools=request.user.scope.schools(write=True), current=current
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of your schools and a school year."))
        return redirect("honours:lists")
    honour_list = services.honour_list_propose(
        school=form.cleaned_data["school"], year=form.cleaned_data["year"], by=request.user
    )
    return redirect("honours:list", pk=honour_list.pk)


def honour_list_detail(request, pk: int):
    honour_list = selectors.get_list_for_user(user=request.user, pk=pk)
    rows = selectors.candidates(honour_list=honour_list)
    for row in rows:
        row.honour_list = honour_list
        row.reasons = candidate_reasons(row)
    scope = request.user.scope
    can_manage = scope.can_manage_school(honour_list.school_id)
    editable = can_manage and not honour_list.is_confirmed
    teacher_ids = Teacher.objects.filter(school_id=honour_list.school_id).values("pk")
    context = {
        "honour_list": honour_list,
        "rows": rows,
        "can_manage": can_manage,
        "editable": editable,
        "is_principal": selectors.is_principal_of(request.user, honour_list.school_id),
        "form": HonourListForm(honour_list=honour_list, candidates=rows) if editable else None,
        "waiting": unreleased_grade_count(teacher_ids=teacher_ids, year=honour_list.year),
    }
    return render(request, "honours/detail.html", context)


@require_POST
def honour_list_refresh(request, pk: int):
    honour_list = selectors.get_list_for_user(user=request.user, pk=pk, write=True)
    perform(
        request,
        lambda: services.honour_list_refresh(honour_list=honour_list, by=request.user),
        success=_("The candidates were read again from the records."),
    )
    return redirect("honours:list", pk=honour_list.pk)


@require_POST
def honour_list_save(request, pk: int):
    honour_list = selectors.get_list_for_user(user=request.user, pk=pk, write=True)
    rows = selectors.candidates(honour_list=honour_list)
    form = HonourListForm(request.POST, honour_list=honour_list, candidates=rows)
    if not form.is_valid():
        messages.error(request, _("Check the title, the date and the honours."))
        return redirect("honours:list", pk=honour_list.pk)
    perform(
        request,
        lambda: services.honour_list_save(
            honour_list=honour_list,
            title=form.cleaned_data["title"],
            commended_on=form.cleaned_data["commended_on"],
            choices=form.choices(),
            by=request.user,
        ),
        success=_("The honours list is saved."),
    )
    return redirect("honours:list", pk=honour_list.pk)


@require_POST
def honour_list_confirm(request, pk: int):
    honour_list = selectors.get_list_for_user(user=request.user, pk=pk)
    if not selectors.is_principal_of(request.user, honour_list.school_id):
        raise PermissionDenied
    perform(
        request,
        lambda: services.honour_list_confirm(honour_list=honour_list, by=request.user),
        success=_("The principal confirmed the honours list; the commendation is recorded."),
    )
    return redirect("honours:list", pk=honour_list.pk)


@require_POST
def honour_list_print(request, pk: int):
    """The commendation as a PDF, by a job filed under the school (its managers and the
    district office download it)."""
    honour_list = selectors.get_list_for_user(user=request.user, pk=pk)
    if not honour_list.is_confirmed:
        messages.error(request, _("The commendation is printed once the principal confirms."))
        return redirect("honours:list", pk=honour_list.pk)
    job = job_create(
        kind=pdf.KIND,
        requested_by=request.user,
        params={
            "list": honour_list.pk,
            "label": honour_list.title,
            "language": translation.get_language() or "zh-hans",
        },
        school=honour_list.school,
    )
    return redirect("job", pk=job.pk)


# -- a teacher's own -----------------------------------------------------------------------------
def my_honours(request):
    rows = list(selectors.own_honours(user=request.user))
    if not rows and getattr(request.user, "teacher", None) is None:
        raise Http404
    return render(request, "honours/mine.html", {"rows": rows})


# -- priority and pay ----------------------------------------------------------------------------
def _school_and_year(request, *, default_year: int):
    schools = selectors.reader_schools(user=request.user)
    chosen = request.GET.get("school", "")
    school = schools.filter(pk=chosen).first() if chosen.isdigit() else None
    year = selectors.year_from(request.GET.get("year"), default_year)
    return schools, school, year


def priority(request):
    selectors.require_reader(request.user)
    # Priority for this school year, from the grades of the last one.
    schools, school, year = _school_and_year(request, default_year=selectors.current_year())
    kind = (
        request.GET.get("kind")
        if request.GET.get("kind") in (lists.TRIPS, lists.STUDY)
        else (lists.TRIPS)
    )
    shown = schools.filter(pk=school.pk) if school else schools
    context = {
        "rows": lists.priority_rows(schools=shown, year=year, kind=kind),
        "schools": schools,
        "school": school,
        "year": year,
        "years": range(year + 1, year - 4, -1),
        "kind": kind,
        "kinds": lists.priority_kinds(),
    }
    return render(request, "honours/priority.html", context)


def pay(request):
    selectors.require_reader(request.user)
    # Year-end pay: the school year last assessed.
    schools, school, year = _school_and_year(request, default_year=selectors.current_year() - 1)
    shown = schools.filter(pk=school.pk) if school else schools
    context = {
        "rows": lists.pay_rows(schools=shown, year=year),
        "schools": schools,
        "school": school,
        "year": year,
        "years": range(year + 1, year - 4, -1),
        "query": request.GET.urlencode(),
    }
    return render(request, "honours/pay.html", context)


@require_POST
def pay_export(request):
    selectors.require_reader(request.user)
    query = QueryDict(request.POST.get("query", ""))
    params = {"year": query.get("year", ""), "school": query.get("school", "")}
    if not params["school"].isdigit():
        params["school"] = ""
    return list_export(request, kind=exports.KIND, params=params)


urlpatterns = [
    path("", honour_lists, name="lists"),
    path("new/", honour_list_new, name="list_new"),
    path("<id:pk>/", honour_list_detail, name="list"),
    path("<id:pk>/refresh/", honour_list_refresh, name="list_refresh"),
    path("<id:pk>/save/", honour_list_save, name="list_save"),
    path("<id:pk>/confirm/", honour_list_confirm, name="list_confirm"),
    path("<id:pk>/print/", honour_list_print, name="list_print"),
    path("mine/", my_honours, name="mine"),
    path("priority/", priority, name="priority"),
    path("pay/", pay, name="pay"),
    path("pay/export/", pay_export, name="pay_export"),
]
