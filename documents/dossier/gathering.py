"""Gathering one teacher's dossier: a fixed number of queries plus a few per school year with
a tier designation (the duty check)."""

import base64
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from assessment.duties import duty_statuses
from assessment.models import AnnualGrade, AssessmentEntry, AssessmentRound, DutyReport
from assessment.selectors import released_grade_filter
from backbone.models import Designation
from core.models import school_year_label, school_year_start
from mentoring.models import Pairing
from mentoring.outcomes import outcomes_for_mentors
from mentoring.selectors import HELD_STATUSES
from records.hours import Hours, hours_by_year
from records.models import KIND_ACCESSORS, Kind, Record, Status
from teachers.models import Teacher
from training.models import Certificate, Enrolment

RECORD_CHILDREN = (
    "openclass",
    "observation",
    "paper",
    "researchproject",
    "lecture",
    "training",
    "selfdevelopmentplan",
    "readingnote",
    "studytrip",
    "teachingreflection",
)
# One rule for every printed file: a round's scores and grades leave its pages once the results
# are posted (公示), as on the teachers' results page (assessment.selectors.results_visible).
PRINTED_ROUNDS = (
    AssessmentRound.Status.POSTED,
    AssessmentRound.Status.LOCKED,
)


# -- gathering ------------------------------------------------------------------------------
@dataclass
class YearSection:
    year: int
    duties: list = field(default_factory=list)
    open_classes: list = field(default_factory=list)
    observations: list = field(default_factory=list)
    papers: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    lectures: list = field(default_factory=list)
    trainings: list = field(default_factory=list)
    readings: list = field(default_factory=list)
    study_trips: list = field(default_factory=list)
    reflections: list = field(default_factory=list)
    prizes: list = field(default_factory=list)  # papers and open classes with a prize
    programmes: list = field(default_factory=list)  # (enrolment, valid certificate or None)
    duty_report: DutyReport | None = None
    hours: Hours = field(default_factory=Hours)
    as_mentor: list = field(default_factory=list)
    as_apprentice: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    grade: AnnualGrade | None = None
    entries: list = field(default_factory=list)
    pending: int = 0

    @property
    def label(self) -> str:
        return school_year_label(self.year)

    @property
    def anchor(self) -> str:
        return f"y{self.year}"


@dataclass
class Dossier:
    teacher: Teacher
    today: datetime.date
    designations: list
    current: Designation | None
    years: list[YearSection]
    plans: list
    observations: list  # every verified observation, for the appendix
    photo_uri: str = ""  # the teacher's portrait, embedded, or empty
    title_awards: list = field(default_factory=list)
    posts_held: list = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"t{self.teacher.pk}"

    @property
    def term_label(self) -> str:
        return self.current.term_label if self.current else ""

    @property
    def career_rows(self) -> list[tuple]:
        """Posts held beside the titles awarded, oldest first, a row each."""
        rows = max(len(self.posts_held), len(self.title_awards))
        posts = self.posts_held + [None] * (rows - len(self.posts_held))
        titles = self.title_awards + [None] * (rows - len(self.title_awards))
        return list(zip(posts, titles, strict=True))


def _years_of(start: datetime.date, end: datetime.date) -> range:
    return range(school_year_start(start), school_year_start(end) + 1)


def dossier_data(*, teacher: Teacher, today: datetime.date | None = None) -> Dossier:
    """Everything one dossier prints. ``teacher`` has school (and district) selected."""
    today = today or timezone.localdate()
    this_year = school_year_start(today)
    designations = list(
        Designation.objects.filter(teacher=teacher)
        .select_related("tier", "promoted_to__tier")
        .order_by("-first_year", "-designated_on", "-pk")
    )
    current = next(
        (
            d
            for d in designations
            if not d.is_honorary
            and d.status == Designation.Status.ACTIVE
            and d.first_year <= this_year <= d.last_year
        ),
        None,
    )
    records = list(
        Record.objects.filter(teacher=teacher, status=Status.VERIFIED)
        .select_related(*RECORD_CHILDREN, "observation__observed_teacher")
        .order_by("date", "pk")
    )
    pending = dict(
        Record.objects.filter(teacher=teacher, status=Status.SUBMITTED)
        .order_by()
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    hours = hours_by_year(teacher=teacher)
    grades = {
        g.year: g
        for g in AnnualGrade.objects.filter(teacher=teacher).filter(released_grade_filter())
    }
    entries = list(
        AssessmentEntry.objects.filter(teacher=teacher, round__status__in=PRINTED_ROUNDS)
        .select_related("round")
        .order_by("round__year", "round__semester", "round__pk")
    )
    pairings = list(
        Pairing.objects.filter(Q(mentor=teacher) | Q(apprentice=teacher), status__in=HELD_STATUSES)
        .select_related("mentor", "apprentice")
        .order_by("start_date", "pk")
    )
    outcomes = outcomes_for_mentors(mentors=[teacher])[teacher.pk]
    reports = DutyReport.objects.filter(teacher=teacher, submitted_at__isnull=False)
    enrolments = list(
        Enrolment.objects.filter(
            teacher=teacher,
            status=Enrolment.Status.ENROLLED,
            programme__start_date__lte=today,
        )
        .select_related("programme")
        .order_by("programme__start_date", "pk")
    )
    certificates = {
        c.enrolment_id: c
        for c in Certificate.objects.filter(enrolment__teacher=teacher, revoked_at__isnull=True)
    }

    sections: dict[int, YearSection] = {}

    def section(year: int) -> YearSection:
        if year not in sections:
            sections[year] = YearSection(year=year)
        return sections[year]

    plans, observations = [], []
    lists = {
        Kind.OPEN_CLASS: "open_classes",
        Kind.OBSERVATION: "observations",
        Kind.PAPER: "papers",
        Kind.PROJECT: "projects",
        Kind.LECTURE: "lectures",
        Kind.TRAINING: "trainings",
        Kind.READING: "readings",
        Kind.STUDY_TRIP: "study_trips",
        Kind.REFLECTION: "reflections",
    }
    for record in records:
        if record.kind == Kind.PLAN:
            plans.append(record.selfdevelopmentplan)
        elif record.kind in lists:
            detail = getattr(record, KIND_ACCESSORS[record.kind])
            target = lists[record.kind]
            if record.kind == Kind.PAPER and detail.prize:
                target = "prizes"  # a prize of a competition, printed with the prizes
            getattr(section(record.year), target).append(detail)
            if record.kind == Kind.OPEN_CLASS and detail.prize:
                section(record.year).prizes.append(detail)
            if record.kind == Kind.OBSERVATION:
                observations.append(detail)
    for report in reports:
        section(report.year).duty_report = report
    for enrolment in enrolments:
        section(enrolment.programme.year).programmes.append(
            (enrolment, certificates.get(enrolment.pk))
        )
    for year, count in pending.items():
        section(year).pending = count
    for year, value in hours.items():
        section(year).hours = value
    for year, grade in grades.items():
        section(year).grade = grade
    for entry in entries:
        section(entry.round.year).entries.append(entry)
    for pairing in pairings:
        end = min(pairing.ended_on or pairing.end_date, today)
        for year in _years_of(pairing.start_date, max(end, pairing.start_date)):
            target = section(year).as_mentor if pairing.mentor_id == teacher.pk else None
            (target if target is not None else section(year).as_apprentice).append(pairing)
    for outcome in outcomes:
        section(school_year_start(outcome.achieved_on)).outcomes.append(outcome)
    tier_years = {
        year
        for d in designations
        if not d.is_honorary
        for year in range(d.first_year, min(d.last_year, this_year) + 1)
    }
    for year in sorted(tier_years):
        statuses = duty_statuses(teachers=[teacher], year=year, today=today)[teacher.pk]
        if statuses:
            section(year).duties = statuses
    years = [sections[y] for y in sorted(sections, reverse=True) if y <= this_year]
    plans.sort(key=lambda p: (p.first_year, p.pk), reverse=True)
    return Dossier(
        teacher=teacher,
        today=today,
        designations=designations,
        current=current,
        years=years,
        plans=plans,
        observations=observations,
        photo_uri=photo_uri(teacher),
        title_awards=list(teacher.title_awards.order_by("awarded_on", "pk")),
        posts_held=list(teacher.posts_held.order_by("started_on", "pk")),
    )


PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def photo_uri(teacher: Teacher) -> str:
    """The portrait as a data URI: the PDF carries it and the renderer reads no file path.
    A photo whose file went missing prints no photo rather than failing the dossier."""
    if not teacher.photo:
        return ""
    ext = teacher.photo.name.rsplit(".", 1)[-1].lower()
    try:
        with teacher.photo.open("rb") as f:
            data = f.read()
    except OSError:
        return ""
    mime = PHOTO_TYPES.get(ext, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"
