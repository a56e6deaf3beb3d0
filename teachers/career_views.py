"""Posts held and the title history: the office keeps them on the teacher's page; the overview
counts the young teachers holding posts in each school."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.scoping import get_for_user

from . import selectors, services
from .forms import PostEndForm, PostHeldForm, TitleAwardForm
from .models import Post, PostHeld, TitleAward


def _add(request, form, save) -> bool:
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    messages.success(request, _("Changes saved."))
    return True


def teacher_career(request, pk: int):
    teacher = selectors.get_teacher(user=request.user, pk=pk, write=True)
    which = request.POST.get("form") if request.method == "POST" else None
    data = request.POST if which else None
    post_form = PostHeldForm(data if which == "post" else None, prefix="post")
    title_form = TitleAwardForm(data if which == "title" else None, prefix="title")
    if which == "post" and _add(
        request, post_form, lambda d: services.post_held_add(teacher=teacher, **d)
    ):
        return redirect("teachers:career", pk=teacher.pk)
    if which == "title" and _add(
        request, title_form, lambda d: services.title_award_add(teacher=teacher, **d)
    ):
        return redirect("teachers:career", pk=teacher.pk)
    context = {
        "teacher": teacher,
        "post_form": post_form,
        "title_form": title_form,
        "posts_held": teacher.posts_held.all(),
        "title_awards": teacher.title_awards.all(),
        "today": timezone.localdate(),
    }
    return render(request, "teachers/career.html", context)


@require_POST
def post_end(request, pk: int):
    held = get_for_user(PostHeld.objects.select_related("teacher"), request.user, write=True, pk=pk)
    form = PostEndForm(request.POST)
    if form.is_valid():
        try:
            services.post_held_end(held=held, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Changes saved."))
    else:
        messages.error(request, _("Give the date the post ended."))
    return redirect("teachers:career", pk=held.teacher_id)


@require_POST
def post_remove(request, pk: int):
    held = get_for_user(PostHeld.objects.select_related("teacher"), request.user, write=True, pk=pk)
    services.post_held_remove(held=held)
    messages.success(request, _("The post was removed."))
    return redirect("teachers:career", pk=held.teacher_id)


@require_POST
def title_remove(request, pk: int):
    award = get_for_user(
        TitleAward.objects.select_related("teacher"), request.user, write=True, pk=pk
    )
    services.title_award_remove(award=award)
    messages.success(request, _("The title was removed from the history."))
    return redirect("teachers:career", pk=award.teacher_id)


def posts_overview(request):
    scope = request.user.scope
    if not (scope.is_superuser or scope.is_school_staff or scope.reads_districts):
        raise Http404
    overview = selectors.young_teachers_posts(user=request.user)
    return render(
        request,
        "teachers/posts_overview.html",
        {"overview": overview, "post_choices": Post.choices},
    )
