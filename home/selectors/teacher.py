"""The teacher's to-dos: records returned with their reasons, rounds open to apply, notices
that name them, this week's duty to-dos, the hours meter, and logging an open class."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from assessment.duties import DutyState, duty_statuses
from assessment.models import AssessmentRound
from backbone.selectors.rounds import my_candidacies, notice_list, rounds_open_to_apply
from core.models import Role, school_year_label, school_year_start
from core.wording import in_brackets
from records.hours import hours_for
from records.models import Kind, Status
from records.selectors.entries import teacher_records
from teachers.models import Teacher
from training.needs.services import surveys_to_answer
from training.reminders import upcoming_reminders

from .todos import LINES_SHOWN, Action, Line, Section, Todo, counted, head_and_total


def own_teacher(user) -> Teacher | None:
    return (
        Teacher.objects.select_related("school__district")
        .filter(user_id=user.pk, is_active=True)
        .first()
    )


def teacher_section(*, user) -> Section | None:
    teacher = own_teacher(user)
    if teacher is None:
        return None
    today = timezone.localdate()
    year = school_year_start(today)
    log_class = Action(
        _("Log an open class"), reverse("records:new", kwargs={"kind": Kind.OPEN_CLASS}), "easel"
    )
    return Section(
        role=Role.TEACHER,
        title=_("My work"),
        todos=[
            _returned(user, teacher),
            _rounds(user),
            _notices(user, teacher, today),
            _duties(teacher, year),
            _surveys(teacher),
            _training_reminders(teacher, today),
        ],
        actions=[log_class],
        hours=hours_for(teacher=teacher, year=year),
        hours_year_label=school_year_label(year),
    )


def _surveys(teacher: Teacher) -> Todo:
    """The training-needs surveys (研训需求调查) open to the teacher, not answered yet."""
    surveys = surveys_to_answer(teacher=teacher)
    return counted(
        ngettext_lazy(
            "%(count)d training-needs survey to answer",
            "%(count)d training-needs surveys to answer",
            "count",
        ),
        total=len(surveys),
        url=reverse("training:mine"),
        icon="ui-checks",
        lines=[
            Line(s.title, reverse("training:needs_answer", kwargs={"pk": s.pk}), s.organiser_label)
            for s in surveys
        ],
    )


def _returned(user, teacher: Teacher) -> Todo:
    returned = teacher_records(user=user, teacher=teacher).filter(status=Status.RETURNED)
    rows, total = head_and_total(returned.order_by("-updated_at", "-pk"))
    return counted(
        ngettext_lazy(
            "%(count)d record returned to you: correct and submit it again",
            "%(count)d records returned to you: correct and submit them again",
            "count",
        ),
        total=total,
        url=reverse("records:growth") + f"?status={Status.RETURNED}",
        icon="arrow-return-left",
        lines=[
            Line(
                f"{r.get_kind_display()} · {r.title}",
                reverse("records:edit", kwargs={"pk": r.pk}),
                r.return_reason,
            )
            for r in rows
        ],
    )


def _rounds(user) -> Todo:
    applied = my_candidacies(user=user)
    rounds = [r for r in rounds_open_to_apply(user=user) if r.pk not in applied]
    return counted(
        ngettext_lazy(
            "%(count)d selection round open to apply",
            "%(count)d selection rounds open to apply",
            "count",
        ),
        total=len(rounds),
        url=reverse("backbone:rounds"),
        icon="megaphone",
        lines=[
            Line(
                f"{r.title}{in_brackets(r.tier.label)}",
                reverse("backbone:round_apply", kwargs={"pk": r.pk}),
                _("applications close on %(date)s") % {"date": r.apply_until.isoformat()},
            )
            for r in rounds
        ],
    )


def _notices(user, teacher: Teacher, today) -> Todo:
    """Public notices running now that name the teacher: a selection round's proposed list,
    an assessment's posted results."""
    selection = (
        notice_list(user=user)
        .filter(
            candidates__teacher=teacher,
            candidates__withdrawn=False,
            announce_from__lte=today,
            announce_until__gte=today,
        )
        .distinct()[: LINES_SHOWN + 1]
    )
    assessment = (
        AssessmentRound.objects.filter(
            Q(notice_until__isnull=True) | Q(notice_until__gte=today),
            entries__teacher=teacher,
            status=AssessmentRound.Status.POSTED,
            notice_from__lte=today,
        )
        .select_related("school")
        .distinct()[: LINES_SHOWN + 1]
    )
    lines = [
        Line(
            r.title,
            reverse("backbone:notice", kwargs={"pk": r.pk}),
            _("public notice until %(date)s") % {"date": r.announce_until.isoformat()},
        )
        for r in selection
    ] + [
        Line(
            r.title,
            reverse("assessment:results", kwargs={"pk": r.pk}),
            _("results posted until %(date)s") % {"date": r.notice_until.isoformat()}
            if r.notice_until
            else "",
        )
        for r in assessment
    ]
    return counted(
        ngettext_lazy(
            "%(count)d public notice names you", "%(count)d public notices name you", "count"
        ),
        total=len(lines),
        url=reverse("backbone:notices"),
        icon="clipboard-check",
        lines=lines,
    )


def _duties(teacher: Teacher, year: int) -> Todo:
    """The duty to-dos: every duty not met yet, missed and at risk first, nearest end first."""
    statuses = duty_statuses(teachers=[teacher], year=year)[teacher.pk]
    rank = {DutyState.MISSED: 0, DutyState.AT_RISK: 1, DutyState.ON_TRACK: 2}
    open_ = sorted(
        (s for s in statuses if s.status != DutyState.MET),
        key=lambda s: (rank.get(s.status, 3), s.period_end),
    )
    return counted(
        ngettext_lazy(
            "%(count)d duty still to fulfil this year",
            "%(count)d duties still to fulfil this year",
            "count",
        ),
        total=len(open_),
        url=reverse("assessment:my_duties"),
        icon="list-check",
        lines=[
            Line(
                f"{s.label}{in_brackets(DutyState(s.status).label)}",
                reverse("assessment:my_duties"),
                _("%(missing)s still to do, by %(date)s")
                % {"missing": _number(s.missing), "date": s.period_end.isoformat()},
            )
            for s in open_
        ],
    )


def _training_reminders(teacher: Teacher, today) -> Todo:
    """Sessions the teacher was reminded of the day before, until they are over."""
    rows, total = head_and_total(upcoming_reminders(teacher=teacher, today=today))
    return counted(
        ngettext_lazy(
            "%(count)d training session coming up", "%(count)d training sessions coming up", "count"
        ),
        total=total,
        url=reverse("training:mine"),
        icon="person-video3",
        done_tone=True,
        lines=[
            Line(
                f"{r.session.programme.title} · {r.session.theme}",
                reverse("training:mine"),
                f"{r.session.date.isoformat()} {r.session.starts_at:%H:%M}"
                + (f" · {r.session.place}" if r.session.place else ""),
            )
            for r in rows
        ],
    )


def _number(value) -> str:
    """2 rather than 2.0 or 2.00."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
