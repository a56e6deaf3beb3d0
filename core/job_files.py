"""Who may download a generated file, and the scope it is computed for: one rule for every job.

A job filed under a school is downloaded by its requester, the school's principals and training
office and the district office; one filed under a district by its requester and the district
office; any other job by its requester alone (core.selectors.job_list). A file holds only what
every one of them may see, so a shared file is computed for the requester's scope narrowed to
its owner (``FileAudience.viewer``), never for the requester's wider union of roles; what the
requester alone may see (their drafts, the notes of their private sessions, committee scores
visible to them once they submitted) stays out of a shared file.

A user with roles in several schools or districts chooses the owner of a list export
(``OwnerForm``); with a single choice there is nothing to choose.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .forms import Form, form_in_words
from .jobs import job_create
from .models import District, Job, Role, RoleAssignment, School, User
from .scoping import MANAGER_ROLES


@dataclass(frozen=True)
class FileAudience:
    requester: User
    school: School | None = None
    district: District | None = None

    @classmethod
    def for_job(cls, job: Job) -> "FileAudience":
        return cls(requester=job.requested_by, school=job.school, district=job.district)

    @property
    def shared(self) -> bool:
        return self.school is not None or self.district is not None

    def owner(self) -> dict:
        """The Job fields that file the job, and decide its audience."""
        return {"school": self.school, "district": self.district}

    def viewer(self) -> User:
        """The requester as the file is computed: their scope narrowed to the owner."""
        if not self.shared:
            return self.requester
        if self.school is not None:
            scope = self.requester.scope.narrowed_to(
                school_ids=[self.school.pk], district_ids=[self.school.district_id]
            )
        else:
            schools = School.objects.filter(district=self.district).values_list("pk", flat=True)
            scope = self.requester.scope.narrowed_to(
                school_ids=schools, district_ids=[self.district.pk]
            )
        viewer = copy.copy(self.requester)
        viewer.__dict__["scope"] = scope  # User.scope is a cached property
        return viewer

    def own_user_id(self) -> int | None:
        """Whose private things (drafts, private notes) the file may hold: nobody's when shared."""
        return None if self.shared else self.requester.pk

    def members(self) -> list[User]:
        """Everyone who may download the file now (superusers aside, who see everything)."""
        return self._members

    @cached_property  # a frozen dataclass still caches: the value goes into __dict__
    def _members(self) -> list[User]:
        if not self.shared:
            return [self.requester]
        district_id = self.district.pk if self.district else self.school.district_id
        holders = Q(role=Role.DISTRICT_OFFICE, district_id=district_id)
        if self.school is not None:
            holders |= Q(role__in=MANAGER_ROLES, school=self.school)
        ids = set(RoleAssignment.objects.filter(holders).values_list("user_id", flat=True))
        others = list(User.objects.filter(pk__in=ids - {self.requester.pk}).order_by("pk"))
        return [self.requester, *others]


# -- secret committee scores ---------------------------------------------------------------------

# Round model -> (may this user see the scores of this round now; may a shared file hold
# them now): the apps' own rules, which ask the scoring engine's predicate.
_SCORE_RULES: dict[type, tuple[Callable[[User, object], bool], Callable[[object], bool]]] = {}


def register_score_rule(
    model, sees: Callable[[User, object], bool], *, shared: Callable[[object], bool]
) -> None:
    """A panel that scores (backbone's selection rounds, assessment's rounds) says here who
    may see its committee scores, and when a file shared with a school's managers or a
    district office may hold them; files ask only scores_visible_to_audience."""
    _SCORE_RULES[model] = (sees, shared)


def scores_visible_to_audience(audience: FileAudience, round) -> bool:
    """Whether every person who may download the file may see the committee scores of
    ``round`` now, and what derives from them (weighted totals, ranks, grades, order).

    The one place a file asks the rounds' secrecy rules: a shared file shows the scores only
    once the round's rules show them to every manager and to the district office, not because
    the requester alone may see them."""
    sees, shared = _SCORE_RULES[type(round)]
    if audience.shared and not shared(round):
        return False  # while scoring runs: no query for each person
    return all(sees(user, round) for user in audience.members())


# -- the owner of a list export ------------------------------------------------------------------


WHOLE_DISTRICT = _("%(name)s (all schools of the district)")


def owner_choices(user, *, schools=None, district_label=WHOLE_DISTRICT) -> list[tuple[str, str]]:
    """("district=<pk>" | "school=<pk>", name): what a user may file a document under, their
    districts first, then ``schools`` (by default those whose staff list they read)."""
    scope = user.scope
    districts = District.objects.order_by("code")
    if not scope.is_superuser:
        districts = districts.filter(pk__in=scope.district_ids)
    if schools is None:
        schools = School.objects.filter(pk__in=scope.staff_school_ids)
    choices = [(f"district={d.pk}", district_label % {"name": d.name}) for d in districts]
    choices += [(f"school={s.pk}", s.name) for s in schools.order_by("district__code", "code")]
    return choices


class OwnerForm(Form):
    owner = forms.ChoiceField(label=_("For"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["owner"].choices = owner_choices(user)

    @property
    def has_choice(self) -> bool:
        return len(self.fields["owner"].choices) > 1

    def clean_owner(self) -> str:
        value = self.cleaned_data["owner"]
        choices = self.fields["owner"].choices
        if not value:
            if len(choices) > 1:
                raise forms.ValidationError(_("Choose the school or district this file is for."))
            value = choices[0][0] if choices else ""
        return value

    def audience(self) -> FileAudience:
        """Whom the file is for (call after is_valid)."""
        value = self.cleaned_data["owner"]
        if not value:  # no role to file it under (a superuser): the requester's own file
            return FileAudience(requester=self.user)
        kind, pk = value.split("=")
        if kind == "school":
            return FileAudience(requester=self.user, school=School.objects.get(pk=pk))
        return FileAudience(requester=self.user, district=District.objects.get(pk=pk))


def list_export(request, *, kind: str, params: dict, filters=None):
    """The POST of a list's export button: file the job under the chosen owner, or show the
    field error (a foreign or malformed owner) with the button again. ``filters`` (the list's
    filter form, bound to the query) describes the request in words for My files."""
    form = OwnerForm(request.POST, user=request.user)
    if not form.is_valid():
        context = {"form": form, "query": request.POST.get("query", "")}
        return render(request, "core/export_owner.html", context, status=400)
    if filters is not None:
        params = {**params, "label": form_in_words(filters) or str(_("Everything in your scope"))}
    job = job_create(kind=kind, requested_by=request.user, params=params, **form.audience().owner())
    return redirect("job", pk=job.pk)
