"""Teachers' professional records: open classes, observations, papers, projects, lectures,
training hours, reading notes, study trips and self-development plans.

Every kind is a child table of one ``Record`` (multi-table inheritance), so the verification
queue, the "My growth" timeline, attachments and the audit trail work on every kind at once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import LONG_TEXT, SHORT_TEXT, LimitedTextField
from core.models import school_year_label
from core.scoping import ScopedQuerySet
from teachers.models import Teacher


class Level(models.IntegerChoices):
    SCHOOL = 1, _("School level (校级)")
    DISTRICT = 2, _("District/county level (区县级)")
    MUNICIPAL = 3, _("Municipal level (市级)")
    PROVINCIAL = 4, _("Provincial level (省级)")
    NATIONAL = 5, _("National level (国家级)")


class Kind(models.TextChoices):
    OPEN_CLASS = "open_class", _("Open class (公开课)")
    OBSERVATION = "observation", _("Class observation (听课记录)")
    PAPER = "paper", _("Paper or result (论文与成果)")
    PROJECT = "project", _("Research project (课题)")
    LECTURE = "lecture", _("Lecture or forum talk (专题讲座)")
    TRAINING = "training", _("Training (培训学时)")
    READING = "reading", _("Reading note (读书心得)")
    STUDY_TRIP = "study_trip", _("Study trip (外出学习)")
    PLAN = "plan", _("Self-development plan (自我实现方案)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # An open class announced ahead on the calendar; submitted for verification once held.
    PLANNED = "planned", _("Planned")
    SUBMITTED = "submitted", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")
    ARCHIVED = "archived", _("Archived")


class RecordQuerySet(ScopedQuerySet):
    school_path = "teacher__school"

    def visible_to(self, user):
        """A teacher sees all their own records; school staff and the district see the
        records of their schools once submitted (drafts stay private to their author)."""
        own = user.scope.own_rows(Q(teacher__user_id=user.pk), self.school_path)
        return self.filter(
            own | (user.scope.school_filter(self.school_path) & ~Q(status=Status.DRAFT))
        )

    def editable_by(self, user):
        """Only the author changes a record, and only while it is a draft or returned."""
        return self.filter(teacher__user_id=user.pk, status__in=[Status.DRAFT, Status.RETURNED])

    def verifiable_by(self, user):
        return self.filter(user.scope.school_filter(self.school_path, write=True))

    def counting(self):
        """Only verified records count for duties, assessments and dossiers."""
        return self.filter(status=Status.VERIFIED)


class Record(models.Model):
    teacher = models.ForeignKey(
        Teacher, on_delete=models.PROTECT, related_name="records", verbose_name=_("teacher")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    year = models.PositiveSmallIntegerField(_("school year"))
    semester = models.PositiveSmallIntegerField(
        _("semester"),
        choices=[(1, _("First semester")), (2, _("Second semester"))],
        null=True,
        blank=True,
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = LimitedTextField(_("reason for returning"), blank=True, max_length=SHORT_TEXT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # Set when another app credits the record by itself (a training session's attendance):
    # one record per teacher and source, so a re-import or a second scan credits nothing new.
    source = models.CharField(_("credited from"), max_length=60, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["teacher", "year", "kind"]),
            models.Index(fields=["status", "kind"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "source"],
                condition=~Q(source=""),
                name="record_credited_once_per_source",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_credited(self) -> bool:
        """Credited by Gugan itself (e.g. attendance at a session): nothing to verify."""
        return bool(self.source)

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)

    @property
    def detail(self) -> "Record":
        """The kind's own row (OpenClass, Paper, ...), with every field of the record."""
        return getattr(self, KIND_ACCESSORS[self.kind])

    @property
    def is_locked(self) -> bool:
        return self.status in (Status.PLANNED, Status.SUBMITTED, Status.VERIFIED, Status.ARCHIVED)

    def summary(self) -> str:
        """The title shown in lists; each kind says what matters most about it."""
        return self.title


class OpenClass(Record):
    class ClassKind(models.TextChoices):
        DEMONSTRATION = "demonstration", _("Demonstration class (示范课)")
        RESEARCH = "research", _("Research class (研究课)")
        OBSERVATION = "observation", _("Observation class (观摩课)")
        GUIDING = "guiding", _("Guiding class (引路课)")
        REPORT = "report", _("Report class (汇报课)")
        SATISFYING = "satisfying", _("My most satisfying class (我最满意的一堂课)")
        OUTREACH = "outreach", _("Outreach to rural schools (送课下乡)")
        COMPETITION = "competition", _("Competition class (赛课)")

    class_kind = models.CharField(_("kind of class"), max_length=20, choices=ClassKind.choices)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, default=Level.SCHOOL
    )
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=100)
    host_school = models.CharField(
        _("host school"),
        max_length=100,
        blank=True,
        help_text=_("For outreach: the school visited."),
    )
    subject = models.CharField(_("subject"), max_length=30)
    grade_class = models.CharField(_("grade and class"), max_length=50)
    topic = models.CharField(_("topic"), max_length=200)
    research_theme = models.CharField(_("research theme"), max_length=200, blank=True)
    prize = models.CharField(_("result (competitions)"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("open class")
        verbose_name_plural = _("open classes")

    def save(self, *args, **kwargs):
        self.kind = Kind.OPEN_CLASS
        self.title = self.topic
        super().save(*args, **kwargs)


class OpenClassSignup(models.Model):
    """A teacher signing up to observe an open class."""

    open_class = models.ForeignKey(
        OpenClass, on_delete=models.CASCADE, related_name="signups", verbose_name=_("open class")
    )
    observer = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="signups", verbose_name=_("observer")
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)

    class Meta:
        verbose_name = _("observer sign-up")
        verbose_name_plural = _("observer sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["open_class", "observer"], name="signup_once")
        ]

    def __str__(self):
        return f"{self.observer} → {self.open_class}"


class OpenClassEvaluation(models.Model):
    """评课: an observer's ratings and comments, which the teacher of the class sees."""

    RATING_CHOICES = [(i, str(i)) for i in range(1, 6)]

    open_class = models.ForeignKey(
        OpenClass,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("open class"),
    )
    observer = models.ForeignKey(
        Teacher,
        on_delete=models.CASCADE,
        related_name="evaluations_given",
        verbose_name=_("observer"),
    )
    design = models.PositiveSmallIntegerField(_("teaching design"), choices=RATING_CHOICES)
    delivery = models.PositiveSmallIntegerField(_("classroom delivery"), choices=RATING_CHOICES)
    engagement = models.PositiveSmallIntegerField(_("student engagement"), choices=RATING_CHOICES)
    effect = models.PositiveSmallIntegerField(_("teaching effect"), choices=RATING_CHOICES)
    comments = LimitedTextField(_("comments"), max_length=LONG_TEXT)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("open-class evaluation")
        verbose_name_plural = _("open-class evaluations")
        constraints = [
            models.UniqueConstraint(fields=["open_class", "observer"], name="evaluation_once")
        ]

    def __str__(self):
        return f"{self.observer} · {self.open_class}"

    @property
    def average(self) -> float:
        return (self.design + self.delivery + self.engagement + self.effect) / 4


class Observation(Record):
    """听课记录: a class the teacher observed, inside Gugan or outside it."""

    observed_teacher = models.ForeignKey(
        Teacher,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observed_in",
        verbose_name=_("observed teacher"),
    )
    observed_name = models.CharField(_("observed teacher (name)"), max_length=50, blank=True)
    observed_school = models.CharField(_("school (if outside)"), max_length=100, blank=True)
    open_class = models.ForeignKey(
        OpenClass,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("open class"),
    )
    pairing = models.ForeignKey(
        "mentoring.Pairing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("mentoring pairing"),
        help_text=_("Set when the observation is part of a mentor–apprentice pairing."),
    )
    subject = models.CharField(_("subject"), max_length=30)
    class_name = models.CharField(_("class"), max_length=50, blank=True)
    notes = LimitedTextField(_("notes"), blank=True, max_length=LONG_TEXT)
    rating = models.PositiveSmallIntegerField(
        _("rating"), choices=[(i, str(i)) for i in range(1, 6)], null=True, blank=True
    )

    class Meta:
        verbose_name = _("class observation")
        verbose_name_plural = _("class observations")

    def save(self, *args, **kwargs):
        self.kind = Kind.OBSERVATION
        name = self.observed_teacher.name if self.observed_teacher_id else self.observed_name
        self.title = f"{name} · {self.subject}" if name else self.subject
        super().save(*args, **kwargs)

    @property
    def is_outside_school(self) -> bool:
        return bool(self.observed_school) or (
            self.observed_teacher_id is not None
            and self.observed_teacher.school_id != self.teacher.school_id
        )


class Paper(Record):
    class ResultKind(models.TextChoices):
        PAPER = "paper", _("Paper (论文)")
        CASE = "case", _("Case study (案例)")
        DESIGN = "design", _("Teaching design (教学设计)")
        COURSEWARE = "courseware", _("Courseware (课件)")
        REPORT = "report", _("Research report (研究报告)")

    class Progress(models.TextChoices):
        WRITTEN = "written", _("Written")
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        AWARDED = "awarded", _("Awarded")

    class Prize(models.TextChoices):
        FIRST = "first", _("First prize (一等奖)")
        SECOND = "second", _("Second prize (二等奖)")
        THIRD = "third", _("Third prize (三等奖)")
        OTHER = "other", _("Other award")

    result_kind = models.CharField(_("kind of result"), max_length=20, choices=ResultKind.choices)
    paper_title = models.CharField(_("title"), max_length=200)
    progress = models.CharField(
        _("progress"), max_length=10, choices=Progress.choices, default=Progress.WRITTEN
    )
    venue = models.CharField(_("journal, contest or venue"), max_length=200, blank=True)
    award_level = models.PositiveSmallIntegerField(
        _("award or publication level"), choices=Level.choices, null=True, blank=True
    )
    prize = models.CharField(_("prize"), max_length=10, choices=Prize.choices, blank=True)

    class Meta:
        verbose_name = _("paper or result")
        verbose_name_plural = _("papers and results")

    def save(self, *args, **kwargs):
        self.kind = Kind.PAPER
        self.title = self.paper_title
        super().save(*args, **kwargs)


class ResearchProject(Record):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader (主持人)")
        MEMBER = "member", _("Member (成员)")

    class Stage(models.TextChoices):
        APPROVED = "approved", _("Approved (立项)")
        MIDTERM = "midterm", _("Mid-term (中期)")
        CONCLUDED = "concluded", _("Concluded (结题)")

    project_title = models.CharField(_("project title"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    members = models.ManyToManyField(
        Teacher, blank=True, related_name="project_memberships", verbose_name=_("members in Gugan")
    )
    other_members = models.CharField(_("other members"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    approved_on = models.DateField(_("approved on (立项)"), null=True, blank=True)
    midterm_on = models.DateField(_("mid-term review on (中期)"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on (结题)"), null=True, blank=True)
    semester_plan = LimitedTextField(_("semester research plan"), blank=True, max_length=LONG_TEXT)
    process_records = LimitedTextField(
        _("monthly process records"), blank=True, max_length=LONG_TEXT
    )
    stage_summary = LimitedTextField(_("stage summary"), blank=True, max_length=LONG_TEXT)
    outcome = LimitedTextField(_("research outcome"), blank=True, max_length=LONG_TEXT)

    class Meta:
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")

    def save(self, *args, **kwargs):
        self.kind = Kind.PROJECT
        self.title = self.project_title
        super().save(*args, **kwargs)


class Lecture(Record):
    class Audience(models.TextChoices):
        GRADE_GROUP = "grade_group", _("Grade or subject group")
        WHOLE_STAFF = "whole_staff", _("Whole staff")
        DISTRICT = "district", _("District")
        FORUM = "forum", _("Backbone forum (论坛)")

    topic = models.CharField(_("topic"), max_length=200)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    attendees = models.PositiveIntegerField(_("number of attendees"), null=True, blank=True)

    class Meta:
        verbose_name = _("lecture or forum talk")
        verbose_name_plural = _("lectures and forum talks")

    def save(self, *args, **kwargs):
        self.kind = Kind.LECTURE
        self.title = self.topic
        super().save(*args, **kwargs)


class Training(Record):
    course = models.CharField(_("course or event"), max_length=200)
    organiser_level = models.PositiveSmallIntegerField(
        _("organiser level"), choices=Level.choices, default=Level.SCHOOL
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    school_based = models.BooleanField(_("school-based (校本培训)"), default=False)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def save(self, *args, **kwargs):
        self.kind = Kind.TRAINING
        self.title = self.course
        super().save(*args, **kwargs)


class ReadingNote(Record):
    book = models.CharField(_("book"), max_length=200)
    reflection = LimitedTextField(_("reflection"), max_length=LONG_TEXT)

    class Meta:
        verbose_name = _("reading note")
        verbose_name_plural = _("reading notes")

    def save(self, *args, **kwargs):
        self.kind = Kind.READING
        self.title = self.book
        super().save(*args, **kwargs)


class StudyTrip(Record):
    destination = models.CharField(_("where"), max_length=200)
    end_date = models.DateField(_("end date"))
    purpose = models.CharField(_("purpose"), max_length=200)
    report = LimitedTextField(_("written report"), blank=True, max_length=LONG_TEXT)
    follow_up = models.ForeignKey(
        Record,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up talk or report class"),
    )

    class Meta:
        verbose_name = _("study trip")
        verbose_name_plural = _("study trips")

    def save(self, *args, **kwargs):
        self.kind = Kind.STUDY_TRIP
        self.title = self.destination
        super().save(*args, **kwargs)


class SelfDevelopmentPlan(Record):
    """自我实现方案 for a term, in the five parts of DOMAIN.md."""

    first_year = models.PositiveSmallIntegerField(_("term starts (school year)"))
    last_year = models.PositiveSmallIntegerField(_("term ends (school year)"))
    review = LimitedTextField(_("review of personal performance"), max_length=LONG_TEXT)
    self_assessment = LimitedTextField(_("self-assessment of abilities"), max_length=LONG_TEXT)
    long_term_goals = LimitedTextField(_("long-term goals"), max_length=LONG_TEXT)
    short_term_goals = LimitedTextField(_("short-term goals"), max_length=LONG_TEXT)
    measures = LimitedTextField(_("methods and measures"), max_length=LONG_TEXT)

    class Meta:
        verbose_name = _("self-development plan")
        verbose_name_plural = _("self-development plans")

    def save(self, *args, **kwargs):
        self.kind = Kind.PLAN
        self.title = f"{school_year_label(self.first_year)} – {school_year_label(self.last_year)}"
        super().save(*args, **kwargs)


class PlanComment(models.Model):
    plan = models.ForeignKey(
        SelfDevelopmentPlan,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("plan"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    text = LimitedTextField(_("comment"), max_length=SHORT_TEXT)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.author} · {self.plan}"


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # Stored under a random name: the original name is kept in the row, never in the path.
    return f"records/{instance.record.teacher.school_id}/{instance.record_id}/{instance.token}"


class Attachment(models.Model):
    class Role(models.TextChoices):
        DESIGN = "design", _("Teaching design")
        REFLECTION = "reflection", _("Reflection")
        COURSEWARE = "courseware", _("Courseware")
        CERTIFICATE = "certificate", _("Certificate")
        REPORT = "report", _("Report")
        MATERIALS = "materials", _("Materials")
        PHOTO = "photo", _("Classroom photo (课堂照片)")
        VIDEO = "video", _("Classroom recording (课堂实录)")
        OTHER = "other", _("Other")

    record = models.ForeignKey(
        Record, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("record")
    )
    role = models.CharField(
        _("what it is"), max_length=20, choices=Role.choices, default=Role.OTHER
    )
    token = models.CharField(max_length=40, unique=True, editable=False)
    # Empty once removed: the stored file is deleted, the row keeps name and size.
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The content's SHA-256, so the same file is not attached twice under another name.
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class AuditEntry(models.Model):
    """Who did what to a record, and when: the trail the training office reads."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        SUBMITTED = "submitted", _("Submitted")
        PLANNED = "planned", _("Announced as planned")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned")
        ARCHIVED = "archived", _("Archived")
        FILE_ADDED = "file_added", _("File added")
        FILE_REMOVED = "file_removed", _("File removed")
        COMMENTED = "commented", _("Commented")

    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="audit_entries", verbose_name=_("record")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.record_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


# The reverse one-to-one accessor of each kind's child table, e.g. record.researchproject.
KIND_ACCESSORS = {
    Kind.OPEN_CLASS: "openclass",
    Kind.OBSERVATION: "observation",
    Kind.PAPER: "paper",
    Kind.PROJECT: "researchproject",
    Kind.LECTURE: "lecture",
    Kind.TRAINING: "training",
    Kind.READING: "readingnote",
    Kind.STUDY_TRIP: "studytrip",
    Kind.PLAN: "selfdevelopmentplan",
}
