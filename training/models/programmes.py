"""Training that a school's training office or the district's training school organises
(校本培训, 骨干教师培训班, expert lectures, ...): programmes, their sessions, who is enrolled,
and the attendance register from which the hours are credited (see training.ledger)."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backbone.models import Tier
from core.models import District, School, TeachingGroup
from core.organised import Organised
from core.scoping import ScopedQuerySet
from scoring.models import PanelOwner, Scored
from teachers.models import Teacher

# Session codes: no 0/O, 1/I/L, so they read aloud and type without mistakes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def default_absence_share() -> Decimal:
    """Missing this share of a programme's sessions ends a trainee's place: one third unless
    the TRAINING_ABSENCE_SHARE setting says otherwise."""
    return Decimal(str(getattr(settings, "TRAINING_ABSENCE_SHARE", "0.33")))


def new_session_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class ProgrammeQuerySet(ScopedQuerySet):
    """A school's programmes are its staff's (and its district's to read); a district's
    programmes are its district office's, read by the staff of every school in it."""

    def visible_to(self, user):
        scope = user.scope
        return self.filter(scope.organised_filter() | Q(group_id__in=scope.led_group_ids))

    def editable_by(self, user):
        scope = user.scope
        # A group's activities (教研活动) are run by its head as well (groups app).
        return self.filter(scope.organised_write_filter() | Q(group_id__in=scope.led_group_ids))


class Programme(Organised, PanelOwner):
    year_from = "start_date"

    class Kind(models.TextChoices):
        SCHOOL_BASED = "school_based", _("School-based training (校本培训)")
        BACKBONE_CLASS = "backbone_class", _("Backbone training class (骨干教师培训班)")
        EXPERT_LECTURE = "expert_lecture", _("Expert lecture (专家讲座)")
        READING_CLASS = "reading_class", _("Reading class (读书班)")
        FORUM = "forum", _("Forum (论坛)")
        SALON = "salon", _("Salon (沙龙)")
        ONLINE = "online", _("Online course (网络研修)")
        STUDY_AWAY = "study_away", _("Study away (外出学习)")
        GROUP_ACTIVITY = "group_activity", _("Teaching-research activities (教研活动)")

    class Audience(models.TextChoices):
        ALL_STAFF = "all_staff", _("All staff")
        TIERS = "tiers", _("Backbone tiers")
        GROUPS = "groups", _("Teaching-research groups")
        NAMED = "named", _("Named teachers")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
        help_text=_("Empty for a programme of the district's training office."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Set for the programme holding a group's activities of one semester (groups app): its
    # head runs the register of those sessions.
    group = models.ForeignKey(
        TeachingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("teaching-research group"),
    )
    audience = models.CharField(
        _("target audience"), max_length=20, choices=Audience.choices, default=Audience.ALL_STAFF
    )
    audience_tiers = models.ManyToManyField(
        Tier, blank=True, related_name="+", verbose_name=_("tiers")
    )
    audience_groups = models.ManyToManyField(
        TeachingGroup, blank=True, related_name="+", verbose_name=_("groups")
    )
    modules = models.TextField(
        _("modules or courses"), blank=True, help_text=_("One module or course per line.")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    year = models.PositiveSmallIntegerField(_("school year"), editable=False)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    quota_per_school = models.PositiveIntegerField(
        _("places per school"),
        null=True,
        blank=True,
        help_text=_("District programmes: each school nominates up to this many teachers."),
    )
    hours_per_session = models.DecimalField(_("hours per session"), max_digits=4, decimal_places=1)
    school_based = models.BooleanField(_("hours count as school-based (校本培训)"), default=True)
    open_for_application = models.BooleanField(
        _("open for application"),
        default=False,
        help_text=_(
            "Teachers of the audience apply from My training; the organiser (for a district "
            "programme, the teacher's school) approves."
        ),
    )
    pass_rule = models.TextField(_("what a trainee needs to pass"), blank=True)
    # The trainee assessment (training.assessment): a weighted total of 0..100 from the
    # panel's items; a trainee passes at this mark or above who still holds a place.
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (total out of 100)"), null=True, blank=True
    )
    absence_share = models.DecimalField(
        _("share of sessions missed that ends a place"),
        max_digits=3,
        decimal_places=2,
        default=default_absence_share,
        help_text=_("0.33 = one third (优存劣汰)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="programme_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_session__gt=0), name="programme_hours_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "year"]),
            models.Index(fields=["district", "year"]),
        ]

    def __str__(self):
        return self.title

    @property
    def module_list(self) -> list[str]:
        return [line.strip() for line in self.modules.splitlines() if line.strip()]


class SessionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(programme__in=Programme.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(programme__in=Programme.objects.editable_by(user))

    def published(self):
        return self.filter(published_at__isnull=False)


class Session(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("programme")
    )
    code = models.CharField(
        _("code"), max_length=12, unique=True, default=new_session_code, editable=False
    )
    module = models.CharField(_("module"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    speaker_teacher = models.ForeignKey(
        Teacher,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("speaker (a teacher in Gugan)"),
    )
    speaker_name = models.CharField(_("speaker (an outside expert)"), max_length=100, blank=True)
    theme = models.CharField(_("theme"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    materials = models.TextField(_("materials"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.theme}"

    @property
    def speaker(self) -> str:
        return self.speaker_teacher.name if self.speaker_teacher_id else self.speaker_name

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def source_key(self) -> str:
        """What the ledger's records say they were credited from (records.services.credits)."""
        return f"training-session:{self.pk}"


class EnrolmentQuerySet(ScopedQuerySet):
    school_path = "teacher__school"

    def active(self):
        return self.filter(status=Enrolment.Status.ENROLLED)


class Enrolment(Scored):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        PLACE_LOST = "place_lost", _("Place lost (优存劣汰)")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Origin(models.TextChoices):
        AUDIENCE = "audience", _("By audience rule")
        NAMED = "named", _("By name")
        APPLICATION = "application", _("By application")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("programme")
    )
    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="+", verbose_name=_("teacher")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ENROLLED
    )
    origin = models.CharField(_("enrolled"), max_length=12, choices=Origin.choices)
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["teacher__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "teacher"], name="enrolled_once")
        ]

    def __str__(self):
        return f"{self.teacher} → {self.programme}"

    @property
    def round(self) -> Programme:
        """The owner of the panel this trainee is scored on (``scoring.models.Scored``)."""
        return self.programme

    def entrant_user_id(self) -> int | None:
        # 回避: a trainee who sits on the panel never scores themselves.
        return self.teacher.user_id


class AttendanceQuerySet(ScopedQuerySet):
    school_path = "teacher__school"


class Attendance(models.Model):
    """One line of a session's register. Every way of taking attendance (the register, the
    QR sign-in, an import) ends here, one row per teacher and session."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        LEFT_EARLY = "left_early", _("Left early")
        LEAVE = "leave", _("Leave (请假)")
        ABSENT = "absent", _("Absent")

    class Method(models.TextChoices):
        REGISTER = "register", _("Register")
        QR = "qr", _("QR sign-in")
        IMPORT = "import", _("Import")

    # Who attended and is credited the session's hours.
    ATTENDED = (Status.PRESENT, Status.LATE, Status.LEFT_EARLY)

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="+", verbose_name=_("teacher")
    )
    status = models.CharField(_("attendance"), max_length=12, choices=Status.choices)
    reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    method = models.CharField(_("taken by"), max_length=10, choices=Method.choices)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "teacher"], name="attendance_once"),
            models.CheckConstraint(
                condition=~Q(status="leave") | ~Q(reason=""), name="leave_has_a_reason"
            ),
        ]

    def __str__(self):
        return f"{self.teacher} · {self.session}: {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED
