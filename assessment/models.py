"""Assessment results. For now the annual grade record that eligibility reads; the assessment
rounds of a later issue fill it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import LONG_TEXT, SHORT_TEXT, LimitedTextField
from core.scoping import ScopedQuerySet
from scoring.models import PanelOwner, Scored

# The annual grade is the roster's (backbone reads it too); imported from here it still works.
from teachers.models import AnnualGrade, AnnualGradeQuerySet, Grade  # noqa: F401
from teachers.stages import GrowthStage

# The levels of records.models.Level (school → national), repeated here so that this app's
# models don't import the records app.
LEVEL_CHOICES = [
    (1, _("School level (校级)")),
    (2, _("District/county level (区县级)")),
    (3, _("Municipal level (市级)")),
    (4, _("Provincial level (省级)")),
    (5, _("National level (国家级)")),
]


class Period(models.TextChoices):
    SEMESTER = "semester", _("Each semester")
    YEAR = "year", _("Each school year")
    TERM = "term", _("Over the term")
    MONTH = "month", _("Each month")
    WEEK = "week", _("Each week")


class DutyKind(models.TextChoices):
    OPEN_CLASS = "open_class", _("Open classes (公开课)")
    PAPER = "paper", _("Papers awarded or published (论文)")
    PROJECT_LED = "project_led", _("Research projects led (主持课题)")
    PROJECT = "project", _("Research projects led or joined (参与课题)")
    LECTURE = "lecture", _("Thematic lectures (专题讲座)")
    MENTORING = "mentoring", _("Apprentices mentored (带徒)")
    OBSERVATIONS = "observations", _("Class observations (听课)")
    TRAINING_HOURS = "training_hours", _("Training hours (继续教育学时)")
    READING = "reading", _("Reading notes (读书心得)")
    COURSEWARE = "courseware", _("Courseware (课件)")
    DUTY_REPORT = "duty_report", _("Annual duty report (述职)")
    RESEARCH_CLASS = "research_class", _("Research classes (研究课)")
    WRITING = "writing", _("Papers or cases written (论文或案例)")
    REFLECTION = "reflection", _("Teaching reflections (教学反思)")


class DutyTemplate(models.Model):
    """One duty of a tier, or of a growth stage (young teachers who are not yet backbone):
    what, how many, per which period, from which school year on.

    school=None is the district default; a school's own row replaces the default for that
    school. Editing never rewrites the past: a change closes the row (valid_until) and adds a
    new one valid from the chosen school year."""

    district = models.ForeignKey(
        "core.District",
        on_delete=models.CASCADE,
        related_name="duty_templates",
        verbose_name=_("district"),
    )
    school = models.ForeignKey(
        "core.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duty_templates",
        verbose_name=_("school"),
    )
    tier = models.ForeignKey(
        "backbone.Tier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duty_templates",
        verbose_name=_("tier"),
    )
    stage = models.CharField(
        _("growth stage"), max_length=20, choices=GrowthStage.choices, blank=True
    )
    kind = models.CharField(_("duty"), max_length=20, choices=DutyKind.choices)
    required = models.DecimalField(_("required"), max_digits=6, decimal_places=1)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    min_level = models.PositiveSmallIntegerField(
        _("at or above level"),
        null=True,
        blank=True,
        choices=LEVEL_CHOICES,
    )
    min_school_based = models.DecimalField(
        _("of which school-based hours"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    is_core = models.BooleanField(
        _("core duty"),
        default=False,
        help_text=_("Missing a core duty caps the annual assessment grade."),
    )
    valid_from = models.PositiveSmallIntegerField(_("from school year"))
    valid_until = models.PositiveSmallIntegerField(_("until school year"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["tier__level", "kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="duty_valid_range",
            ),
            # A duty belongs to a tier or to a growth stage, never both.
            models.CheckConstraint(
                condition=models.Q(tier__isnull=False, stage="")
                | (models.Q(tier__isnull=True) & ~models.Q(stage="")),
                name="duty_of_a_tier_or_a_stage",
            ),
        ]

    def __str__(self):
        return f"{self.owner_label} · {self.get_kind_display()} × {self.required}"

    @property
    def owner_label(self) -> str:
        """The tier, or the growth stage, the duty belongs to."""
        return str(self.tier) if self.tier_id else str(self.get_stage_display())


class DutyReminder(models.Model):
    """A reminder already sent, so each teacher, duty and period is reminded once."""

    teacher = models.ForeignKey(
        "teachers.Teacher", on_delete=models.CASCADE, related_name="+", verbose_name=_("teacher")
    )
    template = models.ForeignKey(
        DutyTemplate, on_delete=models.CASCADE, related_name="+", verbose_name=_("duty")
    )
    period_key = models.CharField(_("period"), max_length=20)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("duty reminder")
        verbose_name_plural = _("duty reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "template", "period_key"], name="remind_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.teacher} · {self.template} · {self.period_key}"


class DutyReport(models.Model):
    """述职: the teacher's annual report on their duties, read by the assessment round."""

    teacher = models.ForeignKey(
        "teachers.Teacher",
        on_delete=models.CASCADE,
        related_name="duty_reports",
        verbose_name=_("teacher"),
    )
    year = models.PositiveSmallIntegerField(_("school year"))
    text = LimitedTextField(_("report"), max_length=LONG_TEXT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AnnualGradeQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual duty report")
        verbose_name_plural = _("annual duty reports")
        constraints = [
            models.UniqueConstraint(fields=["teacher", "year"], name="duty_report_once_per_year")
        ]

    def __str__(self):
        return f"{self.teacher} {self.year}"


class AssessmentTemplate(models.Model):
    class Kind(models.TextChoices):
        SEMESTER = "semester", _("Semester check")
        ANNUAL = "annual", _("Annual assessment")

    district = models.ForeignKey(
        "core.District", on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    school = models.ForeignKey(
        "core.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    excellent_from = models.DecimalField(
        _("excellent from"), max_digits=5, decimal_places=1, default=90
    )
    good_from = models.DecimalField(_("good from"), max_digits=5, decimal_places=1, default=80)
    qualified_from = models.DecimalField(
        _("qualified from"), max_digits=5, decimal_places=1, default=60
    )
    missed_core_duty_cap = models.PositiveSmallIntegerField(
        _("grade cap when a core duty is missed"),
        choices=Grade.choices,
        null=True,
        blank=True,
        default=Grade.QUALIFIED,
    )
    valid_from = models.PositiveSmallIntegerField(_("from school year"))
    valid_until = models.PositiveSmallIntegerField(_("until school year"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")
        ordering = ["kind", "-valid_from"]

    def __str__(self):
        return self.name

    def panel_items(self) -> list[dict]:
        """The components as the items of a round's panel, which remember the component."""
        return [
            {"name": c.name, "weight": c.weight, "max_score": c.max_score, "key": c.pk}
            for c in self.components.all()
        ]


class AssessmentComponent(models.Model):
    template = models.ForeignKey(
        AssessmentTemplate,
        on_delete=models.CASCADE,
        related_name="components",
        verbose_name=_("template"),
    )
    name = models.CharField(_("component"), max_length=50)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("assessment component")
        verbose_name_plural = _("assessment components")
        ordering = ["template", "position", "pk"]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


class AssessmentRound(PanelOwner):
    # Its committee, the components it scores and their sheets: ``panel``.

    class Status(models.TextChoices):
        SCORING = "scoring", pgettext_lazy("assessment", "Committee scoring")
        FINALISED = "finalised", _("Finalised")
        POSTED = "posted", _("Results posted")
        LOCKED = "locked", _("Locked")

    school = models.ForeignKey(
        "core.School",
        on_delete=models.CASCADE,
        related_name="assessment_rounds",
        verbose_name=_("school"),
    )
    template = models.ForeignKey(
        AssessmentTemplate,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("template"),
    )
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("school year"))
    semester = models.PositiveSmallIntegerField(_("semester"), null=True, blank=True)
    all_teachers = models.BooleanField(_("all teachers, not only backbone teachers"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCORING
    )
    notice_from = models.DateField(_("results posted from"), null=True, blank=True)
    notice_until = models.DateField(_("results posted until"), null=True, blank=True)
    notice_contact = models.CharField(
        _("contact person for the notice"),
        max_length=100,
        blank=True,
        help_text=_("Who receives questions about a result, with a telephone number or office."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-year", "-created_at"]

    def __str__(self):
        return self.title

    def new_panel(self) -> dict:
        return {**super().new_panel(), "items": self.template.panel_items()}


class AssessmentEntryQuerySet(ScopedQuerySet):
    school_path = "round__school"


class AssessmentEntry(Scored):
    """One teacher in a round: the prefilled facts, the committee's result and the grade."""

    round = models.ForeignKey(
        AssessmentRound,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=pgettext_lazy("assessment", "round"),
    )
    teacher = models.ForeignKey(
        "teachers.Teacher",
        on_delete=models.CASCADE,
        related_name="assessment_entries",
        verbose_name=_("teacher"),
    )
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    # The flag the grade rule reads: the register's absences without a valid reason in the
    # assessed period (facts["training_absences"], read with the other facts), unless the
    # school's managers overrode it, with a reason (see assessment.services.rounds).
    absent_without_reason = models.BooleanField(
        _("absent from training without a valid reason"), default=False
    )
    absence_override = models.BooleanField(
        _("absence set by hand"),
        null=True,
        blank=True,
        help_text=_("Empty: the training register decides."),
    )
    absence_override_reason = models.CharField(
        _("reason for setting the absence by hand"), max_length=200, blank=True
    )
    absence_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("absence set by"),
    )
    absence_override_at = models.DateTimeField(_("absence set at"), null=True, blank=True)
    score = models.DecimalField(
        _("final score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), choices=Grade.choices, null=True, blank=True
    )
    explanation = models.TextField(_("how the grade was reached"), blank=True)

    objects = AssessmentEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment entry")
        verbose_name_plural = _("assessment entries")
        ordering = ["round", "teacher__staff_no"]
        constraints = [
            models.UniqueConstraint(fields=["round", "teacher"], name="assessed_once_per_round")
        ]

    def __str__(self):
        return f"{self.teacher} @ {self.round}"

    @property
    def register_absences(self) -> list[dict]:
        """The sessions missed without a valid reason, as last read from the register."""
        return self.facts.get("training_absences", [])

    def effective_absence(self) -> bool:
        """What the grade rule reads: the override when set, else the register."""
        if self.absence_override is not None:
            return self.absence_override
        return bool(self.register_absences)


class MonthlyCheck(models.Model):
    """月考核: a light assessment of one month at a school. No committee and no scores: each
    backbone teacher's duty completion at the month's end (the duty engine) and a comment by
    the office; teachers read their own once the office releases the check."""

    school = models.ForeignKey(
        "core.School",
        on_delete=models.CASCADE,
        related_name="monthly_checks",
        verbose_name=_("school"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    year = models.PositiveSmallIntegerField(_("school year"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    read_at = models.DateTimeField(_("duties read at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(_("released to teachers at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly check")
        verbose_name_plural = _("monthly checks")
        ordering = ["-month", "school"]
        constraints = [
            models.UniqueConstraint(fields=["school", "month"], name="monthly_check_once_a_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="monthly_check_first_of_month"
            ),
        ]

    def __str__(self):
        return f"{self.school} {self.month:%Y-%m}"

    @property
    def month_label(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class MonthlyCheckEntryQuerySet(ScopedQuerySet):
    school_path = "monthly_check__school"


class MonthlyCheckEntry(models.Model):
    monthly_check = models.ForeignKey(
        MonthlyCheck,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("monthly check"),
    )
    teacher = models.ForeignKey(
        "teachers.Teacher",
        on_delete=models.CASCADE,
        related_name="monthly_check_entries",
        verbose_name=_("teacher"),
    )
    # One {"kind", "done", "required", "status"} per duty, as the engine counted it.
    duties = models.JSONField(_("duties"), default=list, blank=True)
    met = models.PositiveSmallIntegerField(_("duties met"), default=0)
    total = models.PositiveSmallIntegerField(_("duties owed"), default=0)
    comment = LimitedTextField(_("comment"), blank=True, max_length=SHORT_TEXT)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comment by"),
    )
    commented_at = models.DateTimeField(_("comment written at"), null=True, blank=True)

    objects = MonthlyCheckEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly check entry")
        verbose_name_plural = _("monthly check entries")
        ordering = ["monthly_check", "teacher__staff_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["monthly_check", "teacher"], name="monthly_check_entry_once"
            )
        ]

    def __str__(self):
        return f"{self.teacher} @ {self.monthly_check}"
