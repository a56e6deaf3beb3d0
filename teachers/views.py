from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.job_files import list_export

from . import selectors, services
from .filters import TeacherFilter
from .forms import TeacherForm
from .models import Teacher
from .profile import render_profile_parts

PAGE_SIZE = 25


def _require_staff(user):
    scope = user.scope
    if not (scope.is_superuser or scope.is_school_staff or scope.reads_districts):
        raise Http404


def teacher_list(request):
    _require_staff(request.user)
    filterset = TeacherFilter(
        request.GET, queryset=selectors.teacher_list(user=request.user), user=request.user
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "can_add": bool(request.user.scope.schools(write=True).exists()),
    }
    template = "teachers/teacher_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_POST
def teacher_export(request):
    _require_staff(request.user)
    query = request.POST.get("query", "")
    filters = TeacherFilter(
        QueryDict(query), queryset=Teacher.objects.none(), user=request.user
    ).form
    return list_export(request, kind="roster_export", params={"query": query}, filters=filters)


def teacher_detail(request, pk: int):
    teacher = selectors.get_teacher(user=request.user, pk=pk)
    can_edit = Teacher.objects.editable_by(request.user).filter(pk=teacher.pk).exists()
    context = {
        "teacher": teacher,
        "can_edit": can_edit,
        # A login whose roles here ended when the teacher left: the school gives it back.
        "login_without_role": teacher.user_id is not None
        and not services.has_role_at_school(teacher),
        "posts_held": teacher.posts_held.all(),
        "title_awards": teacher.title_awards.all(),
    }
    context["parts"] = render_profile_parts(request, teacher, context)
    return render(request, "teachers/teacher_detail.html", context)


def my_profile(request):
    teacher = getattr(request.user, "teacher", None)
    if teacher is None:
        raise Http404
    return redirect("teachers:detail", pk=teacher.pk)


def teacher_create(request):
    schools = request.user.scope.schools(write=True)
    if not schools.exists():
        raise Http404
    form = TeacherForm(request.POST or None, request.FILES or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        teacher = services.teacher_save(teacher=form.save(commit=False))
        messages.success(request, _("%(name)s was added to the roster.") % {"name": teacher.name})
        return redirect("teachers:detail", pk=teacher.pk)
    return render(request, "teachers/teacher_form.html", {"form": form})


def teacher_edit(request, pk: int):
    teacher = selectors.get_teacher(user=request.user, pk=pk, write=True)
    form = TeacherForm(
        request.POST or None,
        request.FILES or None,
        instance=teacher,
        schools=request.user.scope.schools(write=True),
    )
    was_active = teacher.is_active
    if request.method == "POST" and form.is_valid():
        teacher = services.teacher_save(teacher=form.save(commit=False))
        messages.success(request, _("Changes saved."))
        if was_active and not teacher.is_active and teacher.user_id:
            messages.info(
                request,
                _(
                    "%(name)s left the school: their roles here have ended and their records "
                    "stay. Marking them back on staff does not give the roles back."
                )
                % {"name": teacher.name},
            )
        return redirect("teachers:detail", pk=teacher.pk)
    return render(request, "teachers/teacher_form.html", {"form": form, "teacher": teacher})


@require_POST
def teacher_account(request, pk: int):
    teacher = selectors.get_teacher(user=request.user, pk=pk, write=True)
    if teacher.user_id is not None:
        return _teacher_login_restore(request, teacher)
    try:
        user, password = services.teacher_account_create(teacher=teacher)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _(
                "Login created. Username: %(username)s, initial password: %(password)s. "
                "It is shown only once; give it to the teacher in person."
            )
            % {"username": user.username, "password": password},
        )
    return redirect("teachers:detail", pk=teacher.pk)


def _teacher_login_restore(request, teacher: Teacher):
    try:
        user = services.teacher_login_restore(teacher=teacher)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("%(name)s can log in again as a teacher of the school with %(username)s.")
            % {"name": teacher.name, "username": user.username},
        )
    return redirect("teachers:detail", pk=teacher.pk)
