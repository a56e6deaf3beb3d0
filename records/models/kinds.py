"""The child table of each kind of record."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import LONG_TEXT, LimitedTextField
from core.models import school_year_label
from teachers.models import Teacher

from .choices import Kind, Level
from .record import Record


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
        STORY = "story", _("Teaching story (教育叙事)")
        # A prize of a competition that produces no paper: a speech, basic skills (三笔字).
        AWARD = "award", _("Competition award (评比获奖)")

    class Progress(models.TextChoices):
        WRITTEN = "written", _("Written")
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        AWARDED = "awarded", _("Awarded")

    class Prize(models.TextChoices):
        FIRST = "first", _("First prize (一等奖)")
        SECOND = "second", _("Second prize (二等奖)")
        THIRD = "third", _("Third prize (三等奖)")
        EXCELLENCE = "excellence", _("Excellence award (优秀奖)")
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


class TeachingReflection(Record):
    """教学反思: after a class, what went well and what to change; young teachers write one a
    week in some plans."""

    lesson = models.CharField(_("class or lesson"), max_length=200)
    reflection = LimitedTextField(_("reflection"), max_length=LONG_TEXT)

    class Meta:
        verbose_name = _("teaching reflection")
        verbose_name_plural = _("teaching reflections")

    def save(self, *args, **kwargs):
        self.kind = Kind.REFLECTION
        self.title = self.lesson
        super().save(*args, **kwargs)
