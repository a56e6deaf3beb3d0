"""The school staff's to-dos: the training office, the committee member, the principal."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from assessment.duties_grid import duties_behind
from assessment.selectors import flagged_designations
from backbone.models import Objection
from backbone.selectors.designations import roster_list
from backbone.selectors.planning import target_overview
from core.models import Job, Role, School, school_year_label, school_year_start
from core.selectors import job_list
from core.wording import in_brackets, list_separator
from recognition.models import Reward
from recognition.selectors import reward_list
from records.selectors.workflow import verification_queue

from .scoring import score_sheets_due
from .todos import LINES_SHOWN, Action, Line, Section, Todo, counted, head_and_total

FRESH_FILES = datetime.timedelta(days=2)


# -- training office ------------------------------------------------------------------------
def office_section(*, user) -> Section:
    year = school_year_start(timezone.localdate())
    return Section(
        role=Role.TRAINING_OFFICE,
        title=_("Training office"),
        todos=[_verification(user), _duties_behind(user, year), _fresh_files(user)],
    )


def _verification(user) -> Todo:
    rows, total = head_and_total(verification_queue(user=user))
    return counted(
        ngettext_lazy(
            "%(count)d record waiting for verification",
            "%(count)d records waiting for verification",
            "count",
        ),
        total=total,
        url=reverse("records:queue"),
        icon="patch-check",
        lines=[
            Line(
                f"{r.teacher.name} · {r.get_kind_display()} · {r.title}",
                reverse("records:detail", kwargs={"pk": r.pk}),
                r.submitted_at.date().isoformat() if r.submitted_at else "",
            )
            for r in rows
        ],
    )


def _duties_behind(user, year: int) -> Todo:
    """Backbone teachers with a duty missed or at risk, the riskiest first (the duties grid's
    order, counted in the database: a fixed number of queries, no record read)."""
    behind = duties_behind(user=user, year=year, limit=LINES_SHOWN)
    url = reverse("assessment:duties_grid")
    lines = [Line(name, url, list_separator().join(duties)) for name, duties in behind.rows]
    return counted(
        ngettext_lazy(
            "%(count)d backbone teacher behind on their duties",
            "%(count)d backbone teachers behind on their duties",
            "count",
        ),
        total=behind.total,
        url=url,
        icon="exclamation-triangle",
        lines=lines,
        more=max(0, behind.total - len(lines)),
    )


def _fresh_files(user) -> Todo:
    """Files finished in the last two days (rendered with the job rows of *My files*)."""
    since = timezone.now() - FRESH_FILES
    jobs, total = head_and_total(
        job_list(user=user).filter(status=Job.Status.DONE, finished_at__gte=since)
    )
    return counted(
        ngettext_lazy(
            "%(count)d file just finished, ready to download",
            "%(count)d files just finished, ready to download",
            "count",
        ),
        total=total,
        url=reverse("jobs"),
        icon="file-earmark-arrow-down",
        jobs=jobs,
        more=max(0, total - LINES_SHOWN),
        done_tone=True,
    )


# -- committee member -----------------------------------------------------------------------
def _deadline_note(due) -> str:
    if due.deadline:
        return _("deadline %(date)s") % {"date": due.deadline.isoformat()}
    if due.since:
        return _("no deadline set; scoring since %(date)s") % {"date": due.since.isoformat()}
    return _("no deadline set")


def committee_section(*, user, holds_role: bool) -> Section | None:
    """Shown to committee members, and to principals and the office when they sit on a
    committee with a sheet due."""
    due = score_sheets_due(user=user)
    if not due and not holds_role:
        return None
    todo = counted(
        ngettext_lazy("%(count)d score sheet due", "%(count)d score sheets due", "count"),
        total=len(due),
        url=due[0].url if len(due) == 1 else reverse("backbone:rounds"),
        icon="pencil-square",
        lines=[Line(f"{d.kind} · {d.title}", d.url, _deadline_note(d)) for d in due],
    )
    return Section(role=Role.COMMITTEE, title=_("Committee member"), todos=[todo])


# -- principal ------------------------------------------------------------------------------
def principal_section(*, user) -> Section:
    today = timezone.localdate()
    current = school_year_start(today)
    schools = list(
        School.objects.filter(pk__in=_principal_of(user))
        .select_related("district")
        .order_by("code")
    )
    return Section(
        role=Role.PRINCIPAL,
        title=_("Principal"),
        todos=[
            _objections(user),
            _terms_ending(user, current),
            _targets_at_risk(schools, today),
            _flagged(user),
            _mentor_rewards(user),
        ],
    )


def _mentor_rewards(user) -> Todo:
    """Mentors' rewards Gugan proposed (an apprentice designated), for the principal."""
    proposed = reward_list(user).filter(
        school_id__in=_principal_of(user), status=Reward.Status.PROPOSED
    )
    rows, total = head_and_total(proposed)
    url = reverse("recognition:rewards")
    return counted(
        ngettext_lazy(
            "%(count)d mentor's reward to approve",
            "%(count)d mentors' rewards to approve",
            "count",
        ),
        total=total,
        url=url,
        icon="gift",
        lines=[
            Line(f"{r.teacher.name} · {r.label}", f"{url}?school={r.school_id}", str(r.amount))
            for r in rows
        ],
    )


def _principal_of(user) -> set[int]:
    return user.scope.school_ids_with({Role.PRINCIPAL})


def _objections(user) -> Todo:
    rows, total = head_and_total(
        Objection.objects.editable_by(user)
        .filter(outcome=Objection.Outcome.PENDING, round__school_id__in=_principal_of(user))
        .select_related("round")
        .order_by("lodged_at", "pk")
    )
    lines = [
        Line(
            o.round.title,
            reverse("backbone:round", kwargs={"pk": o.round_id}),
            timezone.localtime(o.lodged_at).strftime("%Y-%m-%d"),
        )
        for o in rows
    ]
    return counted(
        ngettext_lazy(
            "%(count)d objection waiting for your decision",
            "%(count)d objections waiting for your decision",
            "count",
        ),
        total=total,
        url=lines[0].url if total == 1 else reverse("backbone:rounds"),
        icon="chat-left-dots",
        lines=lines,
    )


def _terms_ending(user, current: int) -> Todo:
    rows, total = head_and_total(
        roster_list(user=user)
        .filter(last_year=current, teacher__school_id__in=_principal_of(user))
        .prefetch_related(None)  # the honorary titles the roster shows are not needed here
    )
    return counted(
        ngettext_lazy(
            "%(count)d term ends in %(year)s: open a selection round for the next term",
            "%(count)d terms end in %(year)s: open a selection round for the next term",
            "count",
        ),
        total=total,
        params={"year": school_year_label(current)},
        url=reverse("backbone:roster") + "?ending=on",
        icon="hourglass-split",
        lines=[Line(f"{d.teacher.name}{in_brackets(d.tier.label)}") for d in rows],
        action=Action(_("Open a selection round"), reverse("backbone:round_new"), "plus-lg"),
    )


def _targets_at_risk(schools: list[School], today) -> Todo:
    """Per school and tier: a target not reached by the designations held for that year, or
    a tier that falls to nobody when the current terms end."""
    rows = []
    for school in schools:
        overview = target_overview(school=school, today=today)
        for row in overview["rows"]:
            rows += _tier_risks(school, row, overview["current"], many=len(schools) > 1)
    return counted(
        ngettext_lazy("%(count)d target at risk", "%(count)d targets at risk", "count"),
        total=len(rows),
        url=reverse("backbone:targets"),
        icon="bullseye",
        lines=rows,
    )


def _tier_risks(school: School, row, current: int, *, many: bool) -> list[Line]:
    where = f"{school.name} · " if many else ""
    url = reverse("backbone:targets") + f"?school={school.pk}"
    cells = [c for c in row.cells if c["year"] >= current]
    short = next((c for c in cells if c["target"] and c["actual"] < c["target"]), None)
    if short:  # the nearest shortfall of the tier is enough
        text = _("%(where)s%(tier)s: %(actual)d of the target %(target)d in %(year)s") % {
            "where": where,
            "tier": row.tier.label,
            "actual": short["actual"],
            "target": short["target"],
            "year": short["label"],
        }
        return [Line(text, url)]
    now = next((c["actual"] for c in cells if c["year"] == current), 0)
    falls = next((c for c in cells if c["year"] > current and c["actual"] == 0), None)
    if now and falls:
        text = _("%(where)s%(tier)s backbone teachers fall to 0 in %(year)s") % {
            "where": where,
            "tier": row.tier.label,
            "year": falls["label"],
        }
        return [Line(text, url)]
    return []


def _flagged(user) -> Todo:
    rows, total = head_and_total(flagged_designations(user=user))
    return counted(
        ngettext_lazy(
            "%(count)d designation flagged for revocation after an assessment",
            "%(count)d designations flagged for revocation after an assessment",
            "count",
        ),
        total=total,
        url=reverse("assessment:flagged"),
        icon="flag",
        lines=[
            Line(f"{d.teacher.name}{in_brackets(d.tier.label)}", reverse("assessment:flagged"))
            for d in rows
        ],
    )
