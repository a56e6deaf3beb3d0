"""The data export's tables of records (every kind), their attachments and audit trail, and
training hours; the attachments' files go into the ZIP under files/."""

from collections.abc import Callable
from decimal import Decimal

from django.db.models import OuterRef, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.export_tables import (
    Column,
    ExportContext,
    ExportFiles,
    Table,
    TableSpec,
    field_column,
    named_column,
    register_files,
    register_tables,
    safe_path_part,
    table,
    yes_no,
)
from core.models import school_year_label
from teachers.dataexport_tables import teacher_label
from teachers.models import Teacher

from .models import (
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
    TeachingReflection,
    Training,
)


def visible_records(ctx: ExportContext, model=Record):
    """Records (or one kind of them) the requester may see; a shared file holds no drafts,
    not even the requester's own."""
    records = ctx.visible(model, "teacher__school")
    if ctx.own_user_id is None:
        records = records.exclude(status=Status.DRAFT)
    return records


def _records(ctx: ExportContext) -> Table:
    qs = visible_records(ctx).order_by("teacher__school__code", "teacher__staff_no", "date", "pk")
    school = Column(_("School"), None, ("teacher__school__name",))
    return table(qs, first=[school], joins=["teacher__school"])


def _kind_table(model, *, prefetch=(), last=()) -> Callable[[ExportContext], Table]:
    """A record kind's own fields beside the record's ID, teacher and status; the rest of the
    record is in the records table."""

    def build(ctx: ExportContext) -> Table:
        qs = visible_records(ctx, model).order_by("teacher__staff_no", "date", "pk")
        first = [
            Column(_("Record ID"), None, ("pk",)),
            named_column(_("Teacher"), "teacher", Teacher),
            field_column(Record, "status", _("Status")),
        ]
        return table(
            qs, first=first, last=list(last), local=True, joins=["teacher"], prefetch=prefetch
        )

    return build


def _members(project) -> str:
    return "、".join(teacher_label(t) for t in project.members.all())


def _signups(ctx: ExportContext) -> Table:
    qs = OpenClassSignup.objects.filter(open_class__in=visible_records(ctx, OpenClass)).order_by(
        "pk"
    )
    return table(qs)


def _evaluations(ctx: ExportContext) -> Table:
    qs = OpenClassEvaluation.objects.filter(
        open_class__in=visible_records(ctx, OpenClass)
    ).order_by("pk")
    return table(qs)


def _plan_comments(ctx: ExportContext) -> Table:
    qs = PlanComment.objects.filter(plan__in=visible_records(ctx, SelfDevelopmentPlan)).order_by(
        "pk"
    )
    return table(qs)


def attachments_queryset(ctx: ExportContext):
    return (
        Attachment.objects.filter(record__in=visible_records(ctx))
        .select_related("record__teacher__school")
        .order_by("record__teacher__school__code", "record__teacher__staff_no", "record_id", "pk")
    )


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
    first = [Column(_("Teacher"), lambda a: teacher_label(a.record.teacher))]
    last = [Column(_("File in the ZIP"), lambda a: "" if a.removed_at else attachment_path(a))]
    return table(attachments_queryset(ctx), first=first, last=last, exclude=["token"])


def _audit(ctx: ExportContext) -> Table:
    qs = AuditEntry.objects.filter(record__in=visible_records(ctx)).order_by(
        "record_id", "at", "pk"
    )
    return table(qs)


def _training_hours(ctx: ExportContext) -> Table:
    """Per teacher and school year: verified hours (what counts), school-based among them,
    and hours still awaiting verification, against the configured requirement (72 / 24; no
    school-based hours for a teacher exempted that year)."""
    from records.hours import (
        exemption_exists,
        hours_text,
        required_school_based,
        required_school_based_for,
        required_total,
    )

    verified = Q(status=Status.VERIFIED)
    rows = (
        visible_records(ctx, Training)
        .values("teacher__school__name", "teacher__staff_no", "teacher__name", "year")
        .annotate(
            verified=Sum("hours", filter=verified),
            school_based=Sum("hours", filter=verified & Q(school_based=True)),
            pending=Sum("hours", filter=Q(status=Status.SUBMITTED)),
            exempt=exemption_exists(teacher=OuterRef("teacher_id"), year=OuterRef("year")),
        )
        .order_by("teacher__school__name", "teacher__staff_no", "year")
    )

    needed = required_total()

    def met(row) -> str:
        total, school_based = row["verified"] or 0, row["school_based"] or 0
        needed_school_based = required_school_based_for(exempt=row["exempt"])
        return yes_no(total >= needed and school_based >= needed_school_based)

    requirement = {
        "total": hours_text(needed),
        "school_based": hours_text(required_school_based()),
    }
    columns = [
        Column(_("School"), lambda r: r["teacher__school__name"]),
        Column(_("Staff number"), lambda r: r["teacher__staff_no"]),
        Column(_("Name"), lambda r: r["teacher__name"]),
        Column(_("School year"), lambda r: school_year_label(r["year"])),
        Column(_("Verified hours"), lambda r: r["verified"] or Decimal(0)),
        Column(_("Of which school-based"), lambda r: r["school_based"] or Decimal(0)),
        Column(_("Awaiting verification"), lambda r: r["pending"] or Decimal(0)),
        Column(_("Exempted from school-based hours"), lambda r: yes_no(r["exempt"])),
        Column(_("%(total)s hours with %(school_based)s school-based met") % requirement, met),
    ]
    return Table(rows=rows, columns=columns)


register_tables(
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
        "teaching_reflections",
        gettext_lazy("Teaching reflections"),
        _kind_table(TeachingReflection),
    ),
    TableSpec(
        "development_plans",
        gettext_lazy("Self-development plans"),
        _kind_table(SelfDevelopmentPlan),
    ),
    TableSpec("plan_comments", gettext_lazy("Plan comments"), _plan_comments),
    TableSpec("attachments", gettext_lazy("Attachments"), _attachments),
    TableSpec("record_audit_trail", gettext_lazy("Record audit trail"), _audit),
    TableSpec("training_hours", gettext_lazy("Training hours"), _training_hours),
    position=40,
)
# Removed attachments are listed in the table (name, size, when) but have no file.
register_files(
    ExportFiles(
        queryset=lambda ctx: attachments_queryset(ctx).filter(removed_at__isnull=True),
        path=attachment_path,
    )
)
