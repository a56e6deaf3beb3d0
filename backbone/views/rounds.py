"""Selection rounds in the browser: open, apply or nominate, score, propose, announce (公示),
object, confirm. Views scope the lookup, call a selector or a service, and render."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy
from django.views.decorators.http import require_POST

from core.actions import post_action
from core.dates import working_days
from core.models import City, District
from core.wording import list_separator
from scoring.pages import sheet_post

from ..forms import rounds as forms
from ..models import SelectionRound
from ..selectors import rounds as selectors
from ..services import rounds as services
from ..services.reserve import reserve_recommend


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# -- rounds --------------------------------------------------------------------------------------
def round_list(request):
    user, scope = request.user, request.user.scope
    sees_rounds = (
        scope.is_superuser
        or scope.is_school_staff
        or scope.is_district_office
        or scope.is_city_office
    )
    open_to_apply = selectors.rounds_open_to_apply(user=user)
    if not sees_rounds and getattr(user, "teacher", None) is None:
        raise Http404
    open_to_apply = list(open_to_apply)
    mine = selectors.my_candidacies(user=user)
    for round in open_to_apply:
        round.candidacy = mine.get(round.pk)
    context = {
        "rounds": selectors.round_list(user=user) if sees_rounds else None,
        "open_to_apply": open_to_apply,
        "can_open": scope.schools(write=True).exists()
        or scope.is_district_office
        or scope.is_city_office,
        "can_recommend": scope.is_school_staff or scope.is_district_office,
    }
    return render(request, "backbone/rounds/list.html", context)


def round_new(request):
    scope = request.user.scope
    schools = scope.schools(write=True)
    if scope.is_district_office and not schools.exists():
        return _district_round_new(request)
    if scope.is_city_office and not schools.exists():
        return _city_round_new(request)
    if not schools.exists():
        if scope.is_school_staff or scope.is_district_office:
            raise PermissionDenied
        raise Http404
    form = forms.RoundForm(request.POST or None, schools=schools)
    formset = forms.criterion_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            round = services.round_open(**form.cleaned_data, criteria=formset.rows, by=request.user)
        except ValidationError as exc:
            forms.add_service_errors(form, exc, formset=formset)
        else:
            messages.success(request, _("The selection round is open."))
            return redirect("backbone:round", pk=round.pk)
    return render(request, "backbone/rounds/form.html", {"form": form, "formset": formset})


def _district_round_new(request):
    """The district office opens a round for a tier it designates (same page, its own form)."""
    districts = District.objects.filter(pk__in=request.user.scope.district_ids).order_by("pk")
    form = forms.DistrictRoundForm(request.POST or None, districts=districts)
    formset = forms.criterion_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            round = services.district_round_open(
                **form.service_kwargs(), criteria=formset.rows, by=request.user
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc, formset=formset)
        else:
            messages.success(request, _("The selection round is open."))
            return redirect("backbone:round", pk=round.pk)
    context = {"form": form, "formset": formset, "district_round": True}
    return render(request, "backbone/rounds/form.html", context)


def _city_round_new(request):
    """The city office opens a municipal round (市级骨干教师评选): the same page, its own form."""
    cities = City.objects.filter(pk__in=request.user.scope.city_ids).order_by("pk")
    form = forms.CityRoundForm(request.POST or None, cities=cities)
    formset = forms.criterion_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            round = services.city_round_open(
                **form.service_kwargs(), criteria=formset.rows, by=request.user
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc, formset=formset)
        else:
            messages.success(request, _("The selection round is open."))
            return redirect("backbone:round", pk=round.pk)
    context = {"form": form, "formset": formset, "city_round": True}
    return render(request, "backbone/rounds/form.html", context)


def _nominating_districts(user, round) -> list[District]:
    """The districts of a city round's city whose office ``user`` is, while it takes
    nominations."""
    if not round.is_city or round.status != SelectionRound.Status.OPEN:
        return []
    scope = user.scope
    districts = District.objects.filter(city_id=round.city_id).order_by("code")
    if not scope.is_superuser:
        districts = districts.filter(pk__in=scope.district_ids)
    return list(districts)


def round_detail(request, pk: int):
    round = selectors.get_round_for_user(user=request.user, pk=pk)
    context = selectors.round_detail(round=round, user=request.user)
    context["can_print_notice"] = selectors.can_print_notice(request.user, round)
    # 回避: each member's recusal beside their name, and the way to declare one
    recusals = {r.member.pk: r for r in selectors.recusals(round=round, user=request.user)}
    context["committee"] = [(m, s, recusals.get(m.pk)) for m, s in context["committee"]]
    context["can_declare_recusal"] = round.status in (
        SelectionRound.Status.OPEN,
        SelectionRound.Status.SCORING,
    ) and (context["can_manage"] or context["is_member"])
    if round.announce_from and round.announce_until:
        context["announcement_working_days"] = working_days(
            round.announce_from, round.announce_until, district_id=round.district_id
        )
    # A district round: each school's quota for the office, the user's own school's place.
    if round.is_district:
        context["quota_rows"] = (
            selectors.school_quota_rows(round=round) if context["can_manage"] else []
        )
        context["nominations"] = [
            selectors.school_nominations(round=round, school=school)
            for school in selectors.nominating_schools(user=request.user, round=round)
        ]
        context["nominating_ids"] = {place["school"].pk for place in context["nominations"]}
    # A city round: each district's quota for the city office, the user's own district's place.
    if round.is_city:
        context["quota_rows"] = (
            selectors.district_quota_rows(round=round) if context["can_manage"] else []
        )
        context["district_nominations"] = [
            selectors.district_nominations(round=round, district=district)
            for district in _nominating_districts(request.user, round)
        ]
        context["nominating_ids"] = set(
            selectors.nominating_schools(user=request.user, round=round).values_list(
                "pk", flat=True
            )
        )
    return render(request, "backbone/rounds/detail.html", context)


def round_apply(request, pk: int):
    round, teacher = selectors.get_round_for_teacher(user=request.user, pk=pk)
    candidacy = selectors.my_candidacies(user=request.user).get(round.pk)
    form = forms.ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_apply(
                round=round, teacher=teacher, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("Your application was received."))
            return redirect("backbone:round_apply", pk=round.pk)
    context = {
        "round": round,
        "form": form,
        "candidacy": candidacy,
        "applications_open": selectors.applications_open(round),
    }
    return render(request, "backbone/rounds/apply.html", context)


@require_POST
def candidate_withdraw(request, pk: int):
    candidate = selectors.get_candidate_for_withdrawal(user=request.user, pk=pk)
    try:
        services.candidate_withdraw(candidate=candidate, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("%(name)s was withdrawn from the round.") % {"name": candidate.teacher.name}
        )
    if candidate.teacher.user_id == request.user.pk and not selectors.can_manage_round(
        request.user, candidate.round
    ):
        return redirect("backbone:round_apply", pk=candidate.round_id)
    return redirect("backbone:round", pk=candidate.round_id)


def round_nominate(request, pk: int):
    round = selectors.get_round_for_user(user=request.user, pk=pk)
    if round.is_district:
        return _district_nominate(request, round)
    if round.is_city:
        return _city_nominate(request, round)
    round = selectors.get_round_for_user(user=request.user, pk=pk, write=True)
    form = forms.NominationForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            added, refused = services.candidates_nominate(
                round=round, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            _nomination_messages(request, added, refused)
            return redirect("backbone:round", pk=round.pk)
    return render(request, "backbone/rounds/nominate.html", {"round": round, "form": form})


def _district_nominate(request, round):
    """A school's principal or training office nominates from its reserve pool to a district
    round, within the school's quota; the district office takes recommendations instead."""
    schools = list(selectors.nominating_schools(user=request.user, round=round))
    if not schools:
        if selectors.can_manage_round(request.user, round):
            return redirect("backbone:recommendations")
        raise PermissionDenied
    school = next((s for s in schools if str(s.pk) == request.GET.get("school")), schools[0])
    place = selectors.school_nominations(round=round, school=school)
    form = forms.NominationForm(request.POST or None, round=round, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            added, refused = services.candidates_school_nominate(
                round=round, school=school, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            _nomination_messages(request, added, refused)
            return redirect("backbone:round", pk=round.pk)
    context = {"round": round, "form": form, "place": place, "schools": schools}
    return render(request, "backbone/rounds/nominate.html", context)


def _city_nominate(request, round):
    """A district office of the city nominates teachers of its schools' reserve pools to a
    city round, within the district's quota, one school's pool at a time."""
    districts = _nominating_districts(request.user, round)
    if not districts:
        if selectors.can_manage_round(request.user, round):
            return redirect("backbone:round", pk=round.pk)
        raise PermissionDenied
    district = next(
        (d for d in districts if str(d.pk) == request.GET.get("district")), districts[0]
    )
    schools = list(district.schools.order_by("code"))
    school = next((s for s in schools if str(s.pk) == request.GET.get("school")), None)
    school = school or (schools[0] if schools else None)
    place = selectors.district_nominations(round=round, district=district)
    form = (
        forms.NominationForm(request.POST or None, round=round, school=school) if school else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            added, refused = services.candidates_district_nominate(
                round=round, district=district, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            _nomination_messages(request, added, refused)
            return redirect("backbone:round", pk=round.pk)
    context = {
        "round": round,
        "form": form,
        "district_place": place,
        "districts": districts,
        "schools": schools,
        "school": school,
    }
    return render(request, "backbone/rounds/nominate.html", context)


def _nomination_messages(request, added, refused) -> None:
    """Green only for candidates who meet the rules; a warning names why the others do not."""
    eligible = [c.teacher.name for c in added if c.is_eligible]
    if eligible:
        messages.success(
            request,
            ngettext(
                "%(names)s was added as a candidate and meets the rules.",
                "%(names)s were added as candidates and meet the rules.",
                len(eligible),
            )
            % {"names": list_separator().join(eligible)},
        )
    for candidate in added:
        if not candidate.is_eligible:
            messages.warning(
                request,
                _("%(name)s was added as a candidate but does not meet the rules: %(why)s")
                % {"name": candidate.teacher.name, "why": candidate.eligibility_summary},
            )
    for teacher, why in refused.items():
        messages.error(
            request,
            _("%(name)s was not added: %(why)s") % {"name": teacher.name, "why": why},
        )


@require_POST
def round_check_eligibility(request, pk: int):
    round = selectors.get_round_for_user(user=request.user, pk=pk, write=True)
    try:
        candidates = services.round_check_eligibility(round=round, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        eligible = sum(c.is_eligible for c in candidates)
        messages.success(
            request,
            ngettext(
                "Eligibility checked again: %(eligible)d of %(n)d candidate eligible.",
                "Eligibility checked again: %(eligible)d of %(n)d candidates eligible.",
                len(candidates),
            )
            % {"eligible": eligible, "n": len(candidates)},
        )
    return redirect("backbone:round", pk=round.pk)


_manage = partial(selectors.get_round_for_user, write=True)
round_close = post_action(
    lookup=_manage,
    run=services.round_close_applications,
    success=gettext_lazy("Applications are closed; the committee can score now."),
    to="backbone:round",
)
CONFIRMED = ngettext_lazy(
    "The round is confirmed: %(n)d teacher designated.",
    "The round is confirmed: %(n)d teachers designated.",
    "n",
)
round_confirm = post_action(
    lookup=_manage, run=services.round_confirm, success=CONFIRMED, to="backbone:round"
)
CANCELLED = gettext_lazy("The round was cancelled.")
round_cancel = post_action(
    lookup=_manage, run=services.round_cancel, success=CANCELLED, to="backbone:round"
)


def round_score(request, pk: int):
    round = selectors.get_round_for_scoring(user=request.user, pk=pk)
    sheet, values = selectors.own_sheet(round=round, member=request.user)
    final = (sheet is not None and sheet.submitted_at is not None) or (
        round.status != SelectionRound.Status.SCORING
    )
    form = forms.ScoreSheetForm(
        request.POST or None,
        candidates=selectors.scoring_candidates(round=round, member=request.user),
        criteria=list(round.criteria.all()),
        values=values,
        disabled=final,
    )
    if request.method == "POST" and not final and form.is_valid():
        save, submit = services.score_sheet_save, services.score_sheet_submit
        to = ("backbone:round_score", "backbone:round")
        return sheet_post(request, round=round, values=form.values, save=save, submit=submit, to=to)
    context = {
        "round": round,
        "form": form,
        "sheet": sheet,
        "final": final,
        "recused": selectors.recused(round=round, member=request.user),
        "recused_from": selectors.recused_from_names(round=round, member=request.user),
    }
    return render(request, "backbone/rounds/score.html", context)


def round_propose(request, pk: int):
    round = selectors.get_round_for_user(user=request.user, pk=pk, write=True)
    form = forms.ProposalForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        chosen = None if "default" in request.POST else form.cleaned_data["candidates"]
        try:
            proposed = services.round_propose(round=round, by=request.user, candidates=chosen)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(n)d candidate proposed.", "%(n)d candidates proposed.", len(proposed))
                % {"n": len(proposed)},
            )
            return redirect("backbone:round", pk=round.pk)
    context = selectors.round_detail(round=round, user=request.user)
    context["form"] = form
    context["selected"] = selectors.proposal_selection(
        candidates=context["candidates"],
        quota=round.quota,
        data=form.data.getlist("candidates") if form.is_bound else None,
    )
    return render(request, "backbone/rounds/propose.html", context)


def round_announce(request, pk: int):
    round = selectors.get_round_for_user(user=request.user, pk=pk, write=True)
    form = forms.AnnouncementForm(request.POST or None, district_id=round.district_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_announce(round=round, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("The public announcement has started."))
            return redirect("backbone:round", pk=round.pk)
    context = {
        "round": round,
        "form": form,
        "proposed": selectors.proposed_candidates(round=round),
    }
    return render(request, "backbone/rounds/announce.html", context)


# -- public notice (公示) and objections ----------------------------------------------------------
def notice_list(request):
    return render(
        request,
        "backbone/rounds/notice_list.html",
        {"rounds": selectors.notice_list(user=request.user)},
    )


def notice_detail(request, pk: int):
    round = selectors.get_notice_for_user(user=request.user, pk=pk)
    return render(
        request,
        "backbone/rounds/notice_detail.html",
        selectors.notice_detail(round=round, user=request.user),
    )


def objection_new(request, pk: int):
    round = selectors.get_notice_for_user(user=request.user, pk=pk)
    if not selectors.is_round_staff(request.user, round):
        raise PermissionDenied
    running = selectors.announcement_running(round)
    form = forms.ObjectionForm(request.POST or None, round=round)
    if not running and request.method == "POST":
        messages.error(
            request, _("Objections can be lodged only while the announcement is running.")
        )
        return redirect("backbone:notice", pk=round.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_lodge(round=round, author=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("Your objection was recorded."))
            return redirect("backbone:notice", pk=round.pk)
    context = {"round": round, "form": form, "running": running}
    return render(request, "backbone/rounds/objection_form.html", context)


def objection_handle(request, pk: int):
    objection = selectors.get_objection_for_user(user=request.user, pk=pk)
    form = forms.ObjectionHandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_handle(objection=objection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("The handling of the objection was recorded."))
            return redirect("backbone:round", pk=objection.round_id)
    context = {"objection": objection, "round": objection.round, "form": form}
    return render(request, "backbone/rounds/objection_handle.html", context)


# -- upward recommendation (推荐上报) -------------------------------------------------------------
def recommendations(request):
    """A school recommends teachers of its reserve pool to the district; the district office
    sees them by tier and school and takes them into an open district round."""
    scope = request.user.scope
    if not (scope.is_superuser or scope.is_school_staff or scope.is_district_office):
        raise Http404
    entries = selectors.recommendable_entries(user=request.user)
    can_recommend = scope.schools(write=True).exists()
    form = forms.RecommendationForm(request.POST or None, entries=entries)
    if request.method == "POST":
        if not can_recommend:
            raise PermissionDenied
        if form.is_valid():
            try:
                done = reserve_recommend(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                forms.add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Recommended to the district: %(names)s.")
                    % {"names": list_separator().join(e.teacher.name for e in done)},
                )
                return redirect("backbone:recommendations")
    rounds = list(selectors.open_district_rounds(user=request.user))
    listed = list(selectors.recommendation_list(user=request.user))
    taken = selectors.candidate_teacher_ids(rounds=rounds)
    for entry in listed:
        entry.rounds = [r for r in rounds if selectors.takes_tier(r, entry.tier)]
        entry.taken_into = [r for r in entry.rounds if (r.pk, entry.teacher_id) in taken]
    context = {
        "form": form if can_recommend else None,
        "recommendations": listed,
        "is_district_office": scope.is_district_office,
    }
    return render(request, "backbone/rounds/recommendations.html", context)


@require_POST
def round_take_recommendation(request, pk: int):
    round = selectors.get_round_for_user(user=request.user, pk=pk)
    if not round.is_city:  # a city round: its districts' offices nominate (the service asks)
        round = selectors.get_round_for_user(user=request.user, pk=pk, write=True)
    entry = (
        selectors.recommendation_list(user=request.user)
        .filter(pk=request.POST.get("entry") if str(request.POST.get("entry")).isdigit() else 0)
        .first()
    )
    if entry is None:
        messages.error(request, _("This teacher is not recommended to the district."))
        return redirect("backbone:recommendations")
    try:
        candidate = services.recommendation_nominate(round=round, entry=entry, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        _nomination_messages(request, [candidate], {})
    return redirect("backbone:recommendations")


urlpatterns = [
    path("rounds/", round_list, name="rounds"),
    path("rounds/new/", round_new, name="round_new"),
    path("rounds/<id:pk>/", round_detail, name="round"),
    path("rounds/<id:pk>/apply/", round_apply, name="round_apply"),
    path("rounds/<id:pk>/nominate/", round_nominate, name="round_nominate"),
    path("rounds/<id:pk>/eligibility/", round_check_eligibility, name="round_eligibility"),
    path("rounds/<id:pk>/close/", round_close, name="round_close"),
    path("rounds/<id:pk>/score/", round_score, name="round_score"),
    path("rounds/<id:pk>/propose/", round_propose, name="round_propose"),
    path("rounds/<id:pk>/announce/", round_announce, name="round_announce"),
    path("rounds/<id:pk>/confirm/", round_confirm, name="round_confirm"),
    path("rounds/<id:pk>/cancel/", round_cancel, name="round_cancel"),
    path("rounds/candidates/<id:pk>/withdraw/", candidate_withdraw, name="candidate_withdraw"),
    path("rounds/objections/<id:pk>/handle/", objection_handle, name="objection_handle"),
    path("rounds/recommendations/", recommendations, name="recommendations"),
    path("rounds/<id:pk>/take/", round_take_recommendation, name="round_take_recommendation"),
    path("notices/", notice_list, name="notices"),
    path("notices/<id:pk>/", notice_detail, name="notice"),
    path("notices/<id:pk>/object/", objection_new, name="objection_new"),
]
