"""What the complete data export (core.data_export) holds: who may export which schools,
and one table per kind of data, each a queryset through the scoping layer and its columns.

Columns come from the models' fields, headed by their verbose names in the requester's
language, so a field added to a model appears in the export without a change here. Foreign
keys to a teacher, user, school, district, tier or group show its name; any other shows the
ID of the row in that table's own sheet.
"""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, Sum
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import (
    AnnualGrade,
    AssessmentComponent,
    AssessmentEntry,
    AssessmentRound,
    AssessmentTemplate,
    DutyReport,
    DutyTemplate,
)
from assessment.selectors import hidden_score_rounds as hidden_assessment_rounds
from backbone.models import (
    Candidate,
    Designation,
    EligibilityRuleSet,
    Objection,
    ReserveEntry,
    SelectionRound,
    Target,
    Tier,
)
from backbone.selectors.rounds import hidden_score_rounds
from mentoring.models import GuidanceSession, Pairing
from records.models import (
    Attachment,
    AuditEntry,
    Lecture,
    Observation,
    OpenClass,
    OpenClassEvaluation,
    OpenClassSignup,
    Paper,
    PlanComment,
    ReadingNote,
    Record,
    ResearchProject,
    SelfDevelopmentPlan,
    Status,
    StudyTrip,
    Training,
)
from scoring.models import Item, Mark
from teachers.models import Teacher

from .models import District, School, TeachingGroup, User, school_year_label

# Fields holding the start year of a school year: shown as "2025–2026".
SCHOOL_YEAR_FIELDS = {
    "year",
    "first_year",
    "last_year",
    "by_year",
    "valid_from",
    "valid_until",
}


# -- what is exported, for whom ------------------------------------------------------------------


@dataclass(frozen=True)
class ExportTarget:
    """The schools an export covers, resolved through the requester's scope."""

    user: User
    school_ids: tuple[int, ...]
    district_ids: tuple[int, ...]  # whose defaults (tiers, duties, templates) apply
    whole_district: bool
    name: str
    code: str

    @property
    def params(self) -> dict:
        key = "district" if self.whole_district else "school"
        pk = self.district_ids[0] if self.whole_district else self.school_ids[0]
        return {key: pk, "label": self.name}


def may_export(user) -> bool:
    """Principals, training offices and district offices (and superusers) export data."""
    scope = user.scope
    return scope.is_superuser or bool(scope.managed_school_ids) or scope.is_district_office


def export_choices(user) -> list[tuple[str, str]]:
    """("district=<pk>" | "school=<pk>", name): the user's districts, then the schools."""
    scope = user.scope
    districts = District.objects.order_by("code")
    if not scope.is_superuser:
        districts = districts.filter(pk__in=scope.district_ids)
    choices = [
        (f"district={d.pk}", _("%(name)s (all schools of the district)") % {"name": d.name})
        for d in districts
    ]
    schools = School.objects.select_related("district").order_by("district__code", "code")
    if not scope.is_superuser:
        schools = schools.filter(
            Q(pk__in=scope.managed_school_ids) | Q(district_id__in=scope.district_ids)
        )
    choices += [(f"school={s.pk}", s.name) for s in schools]
    return choices


def resolve_target(user, params: dict) -> ExportTarget:
    """The export a user asked for, if they may have it; PermissionDenied otherwise (also at
    run time, so a role withdrawn meanwhile stops the job)."""
    scope = user.scope
    if params.get("district"):
        district = District.objects.filter(pk=params["district"]).first()
        if district is None or not (scope.is_superuser or district.pk in scope.district_ids):
            raise PermissionDenied
        school_ids = tuple(district.schools.order_by("code").values_list("pk", flat=True))
        return ExportTarget(
            user=user,
            school_ids=school_ids,
            district_ids=(district.pk,),
            whole_district=True,
            name=district.name,
            code=district.code,
        )
    school = School.objects.filter(pk=params.get("school") or 0).first()
    if school is None or not (
        scope.can_manage_school(school.pk) or school.district_id in scope.district_ids
    ):
        raise PermissionDenied
    return ExportTarget(
        user=user,
        school_ids=(school.pk,),
        district_ids=(school.district_id,),
        whole_district=False,
        name=school.name,
        code=school.code,
    )


# -- columns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    get: Callable[[Any], Any]


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _name(obj) -> str:
    return "" if obj is None else str(obj)


def _teacher(obj) -> str:
    return "" if obj is None else f"{obj.name} ({obj.staff_no})"


# Foreign keys shown by name (joined in the query); any other is shown as its id, which
# points at the ID column of that table.
NAMED_MODELS = {User: _name, Teacher: _teacher, School: _name, District: _name, Tier: _name}
NAMED_MODELS[TeachingGroup] = _name


def _label(labels: dict, value):
    return "" if value is None else labels.get(value, value)


def _field_getter(field) -> Callable[[Any], Any]:
    if field.choices:
        # Labels translated once per export, not once per row.
        labels = {value: str(label) for value, label in field.flatchoices}
        return lambda obj: _label(labels, getattr(obj, field.attname))
    if isinstance(field, models.BooleanField):
        return lambda obj: _yes_no(getattr(obj, field.attname))
    if field.name in SCHOOL_YEAR_FIELDS and isinstance(field, models.PositiveSmallIntegerField):
        return lambda obj: (
            ""
            if getattr(obj, field.attname) is None
            else school_year_label(getattr(obj, field.attname))
        )
    if isinstance(field, models.JSONField):
        return lambda obj: json.dumps(getattr(obj, field.attname), ensure_ascii=False)
    return attrgetter(field.attname)


def model_columns(
    model,
    *,
    local: bool = False,
    exclude: Iterable[str] = (),
    override: dict[str, Callable] | None = None,
) -> tuple[list[Column], list[str]]:
    """A column per field of ``model`` headed by its verbose name (in the active language),
    and the relations to join so that named foreign keys cost no extra query.

    ``local`` keeps only the fields of a child table (a record kind), without the record's."""
    override = override or {}
    exclude = set(exclude)
    fields = model._meta.local_concrete_fields if local else model._meta.concrete_fields
    columns, joins = [], []
    for field in fields:
        if field.name in exclude or isinstance(field, models.FileField):
            continue
        if field.one_to_one and field.remote_field.parent_link:
            continue
        header = capfirst(str(field.verbose_name))
        if field.primary_key:
            columns.append(Column(_("ID"), attrgetter("pk")))
            continue
        if field.name in override:
            columns.append(Column(header, override[field.name]))
            continue
        if field.is_relation:
            show = NAMED_MODELS.get(field.related_model)
            if show is not None:
                joins.append(field.name)
                columns.append(Column(header, lambda obj, n=field.name, s=show: s(getattr(obj, n))))
            else:
                header = _("%(field)s (ID)") % {"field": header}
                columns.append(Column(header, attrgetter(field.attname)))
            continue
        columns.append(Column(header, _field_getter(field)))
    return columns, joins


# -- tables --------------------------------------------------------------------------------------


@dataclass
class Table:
    rows: Iterable
    columns: list[Column]


@dataclass(frozen=True)
class TableSpec:
    name: str  # the CSV file name: stable, ASCII
    title: Promise  # the sheet name and the README line, in the requester's language
    build: Callable[["ExportContext"], Table]


class ExportContext:
    """The target plus what several tables need: the visible records, the scores that must
    stay secret, who the requester is."""

    def __init__(self, target: ExportTarget):
        self.target = target
        self.user = target.user
        self.schools = target.school_ids
        self.hidden_selection_rounds = self._hidden_selection_rounds()
        self.hidden_assessment_rounds = self._hidden_assessment_rounds()

    def visible(self, model, path: str):
        """Rows of ``model`` the requester may see, within the target's schools."""
        return model.objects.visible_to(self.user).filter(**{f"{path}_id__in": self.schools})

    def records(self, model=Record):
        return self.visible(model, "teacher__school")

    def defaults_or_schools(self, model):
        """District defaults (school empty) of the target's districts, and the schools' own."""
        return model.objects.filter(
            Q(school_id__in=self.schools)
            | Q(school__isnull=True, district_id__in=self.target.district_ids)
        )

    # Scoring secrecy, as on the round pages: while scoring runs, a committee member sees the
    # scores only after submitting their own sheet, and a manager off the committee sees them.
    def _hidden_selection_rounds(self) -> set[int]:
        rounds = SelectionRound.objects.filter(school_id__in=self.schools)
        return hidden_score_rounds(user=self.user, rounds=rounds)

    def _hidden_assessment_rounds(self) -> set[int]:
        rounds = AssessmentRound.objects.filter(school_id__in=self.schools)
        return hidden_assessment_rounds(user=self.user, rounds=rounds)


def _table(queryset, model=None, *, first=(), last=(), joins=(), prefetch=(), **options) -> Table:
    columns, auto_joins = model_columns(model or queryset.model, **options)
    queryset = queryset.select_related(*auto_joins, *joins)
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    return Table(rows=queryset, columns=[*first, *columns, *last])


def _schools(ctx: ExportContext) -> Table:
    qs = School.objects.filter(pk__in=ctx.schools).order_by("code")
    return _table(qs)


def _groups(ctx: ExportContext) -> Table:
    qs = TeachingGroup.objects.filter(school_id__in=ctx.schools).order_by("school__code", "pk")
    return _table(qs)


def _teachers(ctx: ExportContext) -> Table:
    qs = ctx.visible(Teacher, "school").order_by("school__code", "staff_no")
    derived = [
        Column(_("Years of teaching"), attrgetter("years_of_teaching")),
        Column(_("Age"), attrgetter("age")),
        Column(_("Growth stage"), attrgetter("growth_stage_label")),
    ]
    override = {
        "posts": lambda t: "、".join(t.get_posts_display()),
        "user": lambda t: t.user.username if t.user else "",
    }
    return _table(qs, last=derived, joins=["school__district", "user"], override=override)


def _tiers(ctx: ExportContext) -> Table:
    return _table(Tier.objects.filter(district_id__in=ctx.target.district_ids))


def _eligibility_rules(ctx: ExportContext) -> Table:
    qs = EligibilityRuleSet.objects.filter(
        Q(school_id__in=ctx.schools)
        | Q(school__isnull=True, tier__district_id__in=ctx.target.district_ids)
    ).order_by("tier__kind", "tier__level", "pk")
    return _table(qs)


def _targets(ctx: ExportContext) -> Table:
    district = ctx.target.district_ids if ctx.target.whole_district else ()
    qs = (
        Target.objects.visible_to(ctx.user)
        .filter(Q(school_id__in=ctx.schools) | Q(district_id__in=district))
        .order_by("by_year", "tier__level", "pk")
    )
    return _table(qs)


def _designations(ctx: ExportContext) -> Table:
    qs = ctx.visible(Designation, "teacher__school").order_by(
        "teacher__school__code", "teacher__staff_no", "first_year", "pk"
    )
    today = Column(_("Status today"), lambda d: d.get_effective_status_display())
    return _table(qs, last=[today], exclude=["is_honorary"])


def _reserve(ctx: ExportContext) -> Table:
    qs = ctx.visible(ReserveEntry, "teacher__school").order_by("teacher__staff_no", "pk")
    return _table(qs)


def _committee(obj) -> str:
    return "、".join(str(u) for u in obj.committee.all())


def _selection_rounds(ctx: ExportContext) -> Table:
    qs = ctx.visible(SelectionRound, "school").order_by("pk")
    committee = Column(_("Committee"), _committee)
    return _table(qs, last=[committee], joins=["panel"], prefetch=["panel__members"])


def _criteria(ctx: ExportContext) -> Table:
    rounds = ctx.visible(SelectionRound, "school")
    qs = Item.objects.filter(panel__selectionround__in=rounds).order_by(
        "panel_id", "position", "pk"
    )
    round_id = Column(_("Selection round (ID)"), lambda i: i.panel.selectionround.pk)
    return _table(
        qs, first=[round_id], exclude=["position", "panel", "key"], joins=["panel__selectionround"]
    )


def _candidates(ctx: ExportContext) -> Table:
    hidden = ctx.hidden_selection_rounds
    qs = ctx.visible(Candidate, "round__school").order_by("round_id", "pk")  # never by rank
    override = {
        "score": lambda c: None if c.round_id in hidden else c.score,
        "rank": lambda c: None if c.round_id in hidden else c.rank,
    }
    return _table(qs, override=override)


def _selection_scores(ctx: ExportContext) -> Table:
    rounds = ctx.visible(SelectionRound, "school")
    qs = (
        Mark.objects.filter(sheet__panel__selectionround__in=rounds)
        .exclude(sheet__panel__selectionround__in=ctx.hidden_selection_rounds)
        .order_by("sheet__panel_id", "sheet_id", "entrant_id", "item__position")
    )
    first = [
        Column(_("Selection round (ID)"), lambda s: s.sheet.panel.selectionround.pk),
        Column(_("Member"), lambda s: _name(s.sheet.member)),
        Column(_("Submitted at"), lambda s: s.sheet.submitted_at),
        Column(_("Candidate"), lambda s: _teacher(s.entrant.candidate.teacher)),
        Column(_("Criterion"), lambda s: s.item.name),
    ]
    return _table(
        qs,
        first=first,
        exclude=["sheet", "entrant", "item"],
        joins=[
            "sheet__member",
            "sheet__panel__selectionround",
            "entrant__candidate__teacher",
            "item",
        ],
    )


def _objections(ctx: ExportContext) -> Table:
    qs = ctx.visible(Objection, "round__school").order_by("round_id", "lodged_at")
    concerning = {"candidate": lambda o: _teacher(o.candidate.teacher) if o.candidate else ""}
    return _table(qs, override=concerning, joins=["candidate__teacher"])


def _records(ctx: ExportContext) -> Table:
    qs = ctx.records().order_by("teacher__school__code", "teacher__staff_no", "date", "pk")
    school = Column(_("School"), lambda r: r.teacher.school.name)
    return _table(qs, first=[school], joins=["teacher__school"])


def _kind_table(model, *, prefetch=(), last=()) -> Callable[[ExportContext], Table]:
    """A record kind's own fields beside the record's ID, teacher and status; the rest of the
    record is in the records table."""

    def build(ctx: ExportContext) -> Table:
        qs = ctx.records(model).order_by("teacher__staff_no", "date", "pk")
        first = [
            Column(_("Record ID"), attrgetter("pk")),
            Column(_("Teacher"), lambda r: _teacher(r.teacher)),
            Column(_("Status"), lambda r: r.get_status_display()),
        ]
        return _table(
            qs, first=first, last=list(last), local=True, joins=["teacher"], prefetch=prefetch
        )

    return build


def _members(project) -> str:
    return "、".join(_teacher(t) for t in project.members.all())


def _signups(ctx: ExportContext) -> Table:
    qs = OpenClassSignup.objects.filter(open_class__in=ctx.records(OpenClass)).order_by("pk")
    return _table(qs)


def _evaluations(ctx: ExportContext) -> Table:
    qs = OpenClassEvaluation.objects.filter(open_class__in=ctx.records(OpenClass)).order_by("pk")
    return _table(qs)


def _plan_comments(ctx: ExportContext) -> Table:
    qs = PlanComment.objects.filter(plan__in=ctx.records(SelfDevelopmentPlan)).order_by("pk")
    return _table(qs)


def attachments_queryset(ctx: ExportContext):
    return (
        Attachment.objects.filter(record__in=ctx.records())
        .select_related("record__teacher__school")
        .order_by("record__teacher__school__code", "record__teacher__staff_no", "record_id", "pk")
    )


_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


def safe_path_part(part: str, limit: int = 120) -> str:
    """A path part every unzip program and file system accepts."""
    part = _UNSAFE.sub("_", part).strip(" .") or "_"
    if len(part) > limit:
        stem, dot, ext = part.rpartition(".")
        part = (stem[: limit - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else part[:limit]
    return part


def attachment_path(attachment: Attachment) -> str:
    """Where the file is in the ZIP: files/records/<school>/<staff no>/<record>-<id>-<name>."""
    teacher = attachment.record.teacher
    name = f"{attachment.record_id}-{attachment.pk}-{attachment.original_name}"
    return "/".join(
        [
            "files",
            "records",
            safe_path_part(teacher.school.code),
            safe_path_part(teacher.staff_no),
            safe_path_part(name),
        ]
    )


def _attachments(ctx: ExportContext) -> Table:
    first = [Column(_("Teacher"), lambda a: _teacher(a.record.teacher))]
    last = [Column(_("File in the ZIP"), lambda a: "" if a.removed_at else attachment_path(a))]
    return _table(attachments_queryset(ctx), first=first, last=last, exclude=["token"])


def _audit(ctx: ExportContext) -> Table:
    qs = AuditEntry.objects.filter(record__in=ctx.records()).order_by("record_id", "at", "pk")
    return _table(qs)


def _pairings(ctx: ExportContext) -> Table:
    return _table(ctx.visible(Pairing, "school").order_by("pk"))


def _sessions(ctx: ExportContext) -> Table:
    user_id = ctx.user.pk

    def shown(field: str):
        def get(session):
            pairing = session.pairing
            party = user_id in (pairing.mentor.user_id, pairing.apprentice.user_id)
            return getattr(session, field) if party or not session.private else ""

        return get

    qs = ctx.visible(GuidanceSession, "pairing__school").order_by("pairing_id", "date", "pk")
    first = [
        Column(_("Mentor"), lambda s: _teacher(s.pairing.mentor)),
        Column(_("Apprentice"), lambda s: _teacher(s.pairing.apprentice)),
    ]
    override = {"notes": shown("notes"), "follow_up": shown("follow_up")}
    return _table(
        qs,
        first=first,
        override=override,
        joins=["pairing__mentor", "pairing__apprentice"],
    )


def _duty_templates(ctx: ExportContext) -> Table:
    return _table(ctx.defaults_or_schools(DutyTemplate).order_by("tier__level", "kind", "pk"))


def _duty_reports(ctx: ExportContext) -> Table:
    # An unsubmitted report is still the teacher's draft.
    qs = (
        ctx.visible(DutyReport, "teacher__school")
        .filter(Q(submitted_at__isnull=False) | Q(teacher__user_id=ctx.user.pk))
        .order_by("teacher__staff_no", "year")
    )
    return _table(qs)


def _assessment_templates(ctx: ExportContext) -> Table:
    return _table(ctx.defaults_or_schools(AssessmentTemplate).order_by("kind", "valid_from", "pk"))


def _assessment_components(ctx: ExportContext) -> Table:
    templates = ctx.defaults_or_schools(AssessmentTemplate)
    qs = AssessmentComponent.objects.filter(template__in=templates).order_by("template_id", "pk")
    return _table(qs, exclude=["position"])


def _assessment_rounds(ctx: ExportContext) -> Table:
    qs = ctx.visible(AssessmentRound, "school").order_by("year", "pk")
    committee = Column(_("Committee"), _committee)
    return _table(qs, last=[committee], joins=["panel"], prefetch=["panel__members"])


def _assessment_entries(ctx: ExportContext) -> Table:
    hidden = ctx.hidden_assessment_rounds
    qs = ctx.visible(AssessmentEntry, "round__school").order_by("round_id", "teacher__staff_no")

    def unless_hidden(field: str):
        return lambda e: None if e.round_id in hidden else getattr(e, field)

    override = {
        "score": unless_hidden("score"),
        "grade": lambda e: "" if e.round_id in hidden or e.grade is None else e.get_grade_display(),
        "explanation": unless_hidden("explanation"),
    }
    return _table(qs, override=override)


def _assessment_scores(ctx: ExportContext) -> Table:
    rounds = ctx.visible(AssessmentRound, "school")
    qs = (
        Mark.objects.filter(sheet__panel__assessmentround__in=rounds)
        .exclude(sheet__panel__assessmentround__in=ctx.hidden_assessment_rounds)
        .order_by("sheet__panel_id", "sheet_id", "entrant_id", "item__position")
    )
    first = [
        Column(_("Assessment round (ID)"), lambda s: s.sheet.panel.assessmentround.pk),
        Column(_("Member"), lambda s: _name(s.sheet.member)),
        Column(_("Submitted at"), lambda s: s.sheet.submitted_at),
        Column(_("Teacher"), lambda s: _teacher(s.entrant.assessmententry.teacher)),
        Column(_("Component"), lambda s: s.item.name),
    ]
    return _table(
        qs,
        first=first,
        exclude=["sheet", "entrant", "item"],
        joins=[
            "sheet__member",
            "sheet__panel__assessmentround",
            "entrant__assessmententry__teacher",
            "item",
        ],
    )


def _annual_grades(ctx: ExportContext) -> Table:
    qs = ctx.visible(AnnualGrade, "teacher__school").order_by("teacher__staff_no", "year")
    return _table(qs)


def _training_hours(ctx: ExportContext) -> Table:
    """Per teacher and school year: verified hours (what counts), school-based among them,
    and hours still awaiting verification, against the 72 / 24 requirement."""
    from records.hours import REQUIRED_SCHOOL_BASED, REQUIRED_TOTAL

    verified = Q(status=Status.VERIFIED)
    rows = (
        ctx.records(Training)
        .values("teacher__school__name", "teacher__staff_no", "teacher__name", "year")
        .annotate(
            verified=Sum("hours", filter=verified),
            school_based=Sum("hours", filter=verified & Q(school_based=True)),
            pending=Sum("hours", filter=Q(status=Status.SUBMITTED)),
        )
        .order_by("teacher__school__name", "teacher__staff_no", "year")
    )

    def met(row) -> str:
        total, school_based = row["verified"] or 0, row["school_based"] or 0
        return _yes_no(total >= REQUIRED_TOTAL and school_based >= REQUIRED_SCHOOL_BASED)

    columns = [
        Column(_("School"), lambda r: r["teacher__school__name"]),
        Column(_("Staff number"), lambda r: r["teacher__staff_no"]),
        Column(_("Name"), lambda r: r["teacher__name"]),
        Column(_("School year"), lambda r: school_year_label(r["year"])),
        Column(_("Verified hours"), lambda r: r["verified"] or Decimal(0)),
        Column(_("Of which school-based"), lambda r: r["school_based"] or Decimal(0)),
        Column(_("Awaiting verification"), lambda r: r["pending"] or Decimal(0)),
        Column(_("72 hours with 24 school-based met"), met),
    ]
    return Table(rows=rows, columns=columns)


TABLES: list[TableSpec] = [
    TableSpec("schools", gettext_lazy("Schools"), _schools),
    TableSpec("teaching_groups", gettext_lazy("Teaching groups"), _groups),
    TableSpec("teachers", gettext_lazy("Teachers"), _teachers),
    TableSpec("tiers", gettext_lazy("Backbone tiers"), _tiers),
    TableSpec("eligibility_rules", gettext_lazy("Eligibility rules"), _eligibility_rules),
    TableSpec("targets", gettext_lazy("Targets"), _targets),
    TableSpec("designations", gettext_lazy("Designations"), _designations),
    TableSpec("reserve_pool", gettext_lazy("Reserve pool"), _reserve),
    TableSpec("selection_rounds", gettext_lazy("Selection rounds"), _selection_rounds),
    TableSpec("selection_criteria", gettext_lazy("Selection criteria"), _criteria),
    TableSpec("candidates", gettext_lazy("Candidates"), _candidates),
    TableSpec("selection_scores", gettext_lazy("Selection scores"), _selection_scores),
    TableSpec("objections", gettext_lazy("Objections"), _objections),
    TableSpec("records", gettext_lazy("Records"), _records),
    TableSpec("open_classes", gettext_lazy("Open classes"), _kind_table(OpenClass)),
    TableSpec("open_class_signups", gettext_lazy("Open-class sign-ups"), _signups),
    TableSpec("open_class_evaluations", gettext_lazy("Open-class evaluations"), _evaluations),
    TableSpec("observations", gettext_lazy("Class observations"), _kind_table(Observation)),
    TableSpec("papers", gettext_lazy("Papers and results"), _kind_table(Paper)),
    TableSpec(
        "research_projects",
        gettext_lazy("Research projects"),
        _kind_table(
            ResearchProject,
            prefetch=["members"],
            last=[Column(gettext_lazy("Members in Gugan"), _members)],
        ),
    ),
    TableSpec("lectures", gettext_lazy("Lectures"), _kind_table(Lecture)),
    TableSpec("trainings", gettext_lazy("Trainings"), _kind_table(Training)),
    TableSpec("reading_notes", gettext_lazy("Reading notes"), _kind_table(ReadingNote)),
    TableSpec("study_trips", gettext_lazy("Study trips"), _kind_table(StudyTrip)),
    TableSpec(
        "development_plans",
        gettext_lazy("Self-development plans"),
        _kind_table(SelfDevelopmentPlan),
    ),
    TableSpec("plan_comments", gettext_lazy("Plan comments"), _plan_comments),
    TableSpec("attachments", gettext_lazy("Attachments"), _attachments),
    TableSpec("record_audit_trail", gettext_lazy("Record audit trail"), _audit),
    TableSpec("training_hours", gettext_lazy("Training hours"), _training_hours),
    TableSpec("pairings", gettext_lazy("Mentoring pairings"), _pairings),
    TableSpec("guidance_sessions", gettext_lazy("Guidance sessions"), _sessions),
    TableSpec("duty_templates", gettext_lazy("Duty settings"), _duty_templates),
    TableSpec("duty_reports", gettext_lazy("Duty reports"), _duty_reports),
    TableSpec("assessment_templates", gettext_lazy("Assessment templates"), _assessment_templates),
    TableSpec(
        "assessment_components", gettext_lazy("Assessment components"), _assessment_components
    ),
    TableSpec("assessment_rounds", gettext_lazy("Assessment rounds"), _assessment_rounds),
    TableSpec("assessment_entries", gettext_lazy("Assessment results"), _assessment_entries),
    TableSpec("assessment_scores", gettext_lazy("Assessment scores"), _assessment_scores),
    TableSpec("annual_grades", gettext_lazy("Annual grades"), _annual_grades),
]
