"""The programme report (培训效果报告): attendance per session and overall, the feedback per
question, the pass rate of the trainee assessment once its results may be seen, and the
trainees' class-observation and open-class ratings before, during and after the programme,
to show the effect on teaching as well as satisfaction.

``programme_report`` computes it for one reader in a constant number of queries; the page
(views) draws it with charts, the PDF job (pdf) with plain bars."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.questions import MIN_ANSWERS, QuestionKind, Summary
from records.models import Observation, OpenClassEvaluation, Status
from scoring import visibility

from .. import assessment, feedback, selectors
from ..models import Attendance, Enrolment, Programme
from ..rules import is_over

# Records whose ratings count: shared with the school (not drafts, not returned for changes).
COUNTED = (Status.SUBMITTED, Status.VERIFIED, Status.ARCHIVED)
# How far before the start and after the end a rating is taken as "before" and "after".
WINDOW = datetime.timedelta(days=365)
PERIODS = {
    "before": _("Before the programme"),
    "during": _("During the programme"),
    "after": _("After the programme"),
}


@dataclass
class SessionLine:
    session: object
    expected: int
    attended: int
    leave: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.expected) if self.expected else None


@dataclass
class PassRate:
    assessed: bool
    visible: bool
    passed: int = 0
    trainees: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.passed / self.trainees) if self.visible and self.trainees else None


@dataclass
class Rating:
    """The average of some ratings (1–5), shown from MIN_ANSWERS ratings."""

    count: int
    value: float | None

    @property
    def shown(self) -> bool:
        return self.count >= MIN_ANSWERS and self.value is not None

    @property
    def average(self) -> float | None:
        return round(self.value, 1) if self.shown else None

    @property
    def percent(self) -> int:
        return round((self.average or 0) * 20)


@dataclass
class Effect:
    label: str
    periods: dict  # period key -> Rating


@dataclass
class Report:
    programme: Programme
    trainees: int
    sessions: list
    feedback: Summary
    pass_rate: PassRate
    effects: list

    @property
    def held(self) -> list:
        return [s for s in self.sessions if s.expected]

    @property
    def overall_percent(self) -> int | None:
        expected = sum(s.expected for s in self.held)
        return round(100 * sum(s.attended for s in self.held) / expected) if expected else None

    @property
    def ratings(self) -> list:
        """The feedback questions with an average (the 1–5 ratings), for the chart."""
        return [q for q in self.feedback.questions if q.average is not None]

    @property
    def choices(self) -> list:
        kinds = (QuestionKind.YES_NO, QuestionKind.CHOICE, QuestionKind.MULTI, QuestionKind.TEXT)
        return [q for q in self.feedback.questions if q.question.kind in kinds]

    def chart(self) -> dict:
        """What the page's charts draw (static/js/training_report.js)."""
        return {
            "attendance": {
                "labels": [f"{s.session.date:%m-%d} {s.session.theme}"[:30] for s in self.held],
                "values": [s.percent for s in self.held],
                "label": str(_("Attendance rate (%)")),
            },
            "feedback": {
                "labels": [q.question.label[:30] for q in self.ratings],
                "values": [q.average for q in self.ratings],
                "label": str(_("Average rating (1–5)")),
            },
            "effect": {
                "labels": [str(label) for label in PERIODS.values()],
                "series": [
                    {"label": e.label, "values": [r.average for r in e.periods.values()]}
                    for e in self.effects
                ],
            },
        }


def _windows(programme: Programme, path: str) -> dict[str, Q]:
    start, end = programme.start_date, programme.end_date
    return {
        "before": Q(**{f"{path}__gte": start - WINDOW, f"{path}__lt": start}),
        "during": Q(**{f"{path}__gte": start, f"{path}__lte": end}),
        "after": Q(**{f"{path}__gt": end, f"{path}__lte": end + WINDOW}),
    }


def _ratings(queryset, value, windows: dict[str, Q]) -> dict[str, Rating]:
    aggregates = {}
    for key, window in windows.items():
        aggregates[f"{key}_n"] = Count("pk", filter=window)
        aggregates[f"{key}_v"] = Avg(value, filter=window)
    row = queryset.aggregate(**aggregates)
    return {key: Rating(row[f"{key}_n"], row[f"{key}_v"]) for key in windows}


def effects(*, programme: Programme, teacher_ids) -> list[Effect]:
    """The trainees' teaching as colleagues rated it: class observations of them (听课) and
    evaluations of their open classes (评课), in two queries."""
    observed = Observation.objects.filter(
        observed_teacher_id__in=teacher_ids, rating__isnull=False, status__in=COUNTED
    )
    evaluated = OpenClassEvaluation.objects.filter(
        open_class__teacher_id__in=teacher_ids, open_class__status__in=COUNTED
    )
    each = Cast(F("design") + F("delivery") + F("engagement") + F("effect"), FloatField()) / 4
    return [
        Effect(
            str(_("Class observations of the trainees")),
            _ratings(observed, "rating", _windows(programme, "date")),
        ),
        Effect(
            str(_("Evaluations of their open classes")),
            _ratings(evaluated, each, _windows(programme, "open_class__date")),
        ),
    ]


def pass_rate(*, programme: Programme, user, enrolments, shared: bool = False) -> PassRate:
    """The share of the trainees ``user`` sees who passed; only when the results may be seen
    (scoring.visibility; a shared file: once revealed to everyone)."""
    if not assessment.is_assessed(programme):
        return PassRate(assessed=False, visible=False)
    seen = (
        visibility.shared_sight(panel=programme.panel)
        if shared
        else visibility.sight(user=user, panel=programme.panel)
    )
    if not seen.totals:
        return PassRate(assessed=True, visible=False)
    ids = {e.teacher_id for e in enrolments}
    passed = assessment.passed_teacher_ids(programme=programme) & ids
    return PassRate(assessed=True, visible=True, passed=len(passed), trainees=len(ids))


def programme_report(*, programme: Programme, user, shared: bool = False) -> Report:
    enrolments = [
        e
        for e in selectors.enrolments(user=user, programme=programme)
        if e.status != Enrolment.Status.WITHDRAWN
    ]
    ids = [e.teacher_id for e in enrolments]
    sessions = list(selectors.sessions_of(programme=programme).filter(published_at__isnull=False))
    now = timezone.localtime()
    held = [s for s in sessions if is_over(s, now)]
    counts: dict = {}
    for session_id, status, n in (
        Attendance.objects.filter(session__in=held, teacher_id__in=ids)
        .values("session_id", "status")
        .annotate(n=Count("pk"))
        .values_list("session_id", "status", "n")
    ):
        counts.setdefault(session_id, {})[status] = n
    lines = []
    for session in sessions:
        mine = counts.get(session.pk, {})
        lines.append(
            SessionLine(
                session,
                expected=len(ids) if session in held else 0,
                attended=sum(mine.get(s, 0) for s in Attendance.ATTENDED),
                leave=mine.get(Attendance.Status.LEAVE, 0),
            )
        )
    return Report(
        programme=programme,
        trainees=len(ids),
        sessions=lines,
        feedback=feedback.programme_summary(programme=programme),
        pass_rate=pass_rate(programme=programme, user=user, enrolments=enrolments, shared=shared),
        effects=effects(programme=programme, teacher_ids=ids),
    )
