"""The teacher roster: one profile per teacher and school, with or without a login."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import School, TeachingGroup
from core.scoping import ScopedQuerySet
from core.wording import in_brackets

from .stages import GrowthStage, completed_years, stage_for_years

YOUNG_TEACHER_AGE = 35


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.IntegerChoices):
    """学历, ordered so that eligibility rules can compare levels."""

    SECONDARY = 1, _("Secondary vocational (中专)")
    COLLEGE = 2, _("College (大专)")
    BACHELOR = 3, _("Bachelor (本科)")
    MASTER = 4, _("Master (硕士)")
    DOCTOR = 5, _("Doctorate (博士)")


class Title(models.IntegerChoices):
    """职称, ordered lowest first; 一级 is what the seeds call "intermediate"."""

    NONE = 0, _("No title (未定级)")
    THIRD = 1, _("Third-grade teacher (三级教师)")
    SECOND = 2, _("Second-grade teacher (二级教师)")
    FIRST = 3, _("First-grade teacher (一级教师)")
    SENIOR = 4, _("Senior teacher (高级教师)")
    PROFESSOR = 5, _("Full senior teacher (正高级教师)")


class Post(models.TextChoices):
    CLASS_TEACHER = "class_teacher", _("Class teacher (班主任)")
    GROUP_HEAD = "group_head", _("Group head (教研组长)")
    GRADE_HEAD = "grade_head", _("Grade head (年级组长)")
    MIDDLE_MANAGER = "middle_manager", _("Middle manager (中层干部)")


class TeacherQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        # Staff and the district see their schools; a teacher always sees their own profile.
        return self.filter(user.scope.school_filter() | user.scope.own_rows(Q(user_id=user.pk)))

    def active(self):
        return self.filter(is_active=True)


def teacher_photo_upload_to(instance: "Teacher", filename: str) -> str:
    # A random name: the uploaded name never reaches the path.
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"teachers/{instance.school_id}/{uuid.uuid4().hex}.{ext}"


class Teacher(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="teachers", verbose_name=_("school")
    )
    staff_no = models.CharField(
        _("staff number"),
        max_length=30,
        validators=[RegexValidator(r"^[0-9A-Za-z_-]+$", _("Use letters, digits, - or _."))],
    )
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    career_start = models.DateField(_("teaching since"))
    education = models.PositiveSmallIntegerField(_("education"), choices=Education.choices)
    title = models.PositiveSmallIntegerField(
        _("professional title"), choices=Title.choices, default=Title.NONE
    )
    subject = models.CharField(_("subject"), max_length=30)
    grades = models.CharField(_("grades taught"), max_length=50, blank=True)
    group = models.ForeignKey(
        TeachingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teachers",
        verbose_name=_("teaching-research group"),
    )
    posts = models.JSONField(_("posts"), default=list, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    photo = models.FileField(
        _("photo"),
        upload_to=teacher_photo_upload_to,
        max_length=255,
        blank=True,
        help_text=_("A portrait for the printed dossier: JPG or PNG."),
    )
    is_active = models.BooleanField(_("on staff"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teacher",
        verbose_name=_("login"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TeacherQuerySet.as_manager()

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["school", "staff_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "staff_no"], name="teacher_staff_no_unique_per_school"
            )
        ]
        indexes = [
            models.Index(fields=["school", "name"]),
            models.Index(fields=["school", "career_start"]),
        ]

    def __str__(self):
        return f"{self.name}{in_brackets(self.staff_no)}"

    @staticmethod
    def today() -> datetime.date:
        return timezone.localdate()

    @property
    def years_of_teaching(self) -> int:
        return max(0, completed_years(self.career_start, self.today()))

    @property
    def age(self) -> int | None:
        return completed_years(self.birth_date, self.today()) if self.birth_date else None

    @property
    def is_young(self) -> bool:
        return self.age is not None and self.age < YOUNG_TEACHER_AGE

    @property
    def growth_stage(self) -> str:
        return stage_for_years(self.years_of_teaching, self.school.district)

    @property
    def growth_stage_label(self) -> str:
        return GrowthStage(self.growth_stage).label

    def get_posts_display(self) -> list[str]:
        labels = dict(Post.choices)
        return [str(labels.get(p, p)) for p in self.posts]


class Grade(models.IntegerChoices):
    """考核等次, ordered so that rules can ask for "good or better"."""

    UNQUALIFIED = 1, _("Unqualified (不合格)")
    QUALIFIED = 2, _("Qualified (合格)")
    GOOD = 3, _("Good (良好)")
    EXCELLENT = 4, _("Excellent (优秀)")


class AnnualGradeQuerySet(ScopedQuerySet):
    school_path = "teacher__school"


class AnnualGrade(models.Model):
    teacher = models.ForeignKey(
        "teachers.Teacher",
        on_delete=models.CASCADE,
        related_name="annual_grades",
        verbose_name=_("teacher"),
    )
    year = models.PositiveSmallIntegerField(_("school year (start year)"))
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    round = models.ForeignKey(
        "assessment.AssessmentRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from assessment round"),
        help_text=_("Empty when the grade was recorded by hand."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = AnnualGradeQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual assessment grade")
        verbose_name_plural = _("annual assessment grades")
        db_table = "assessment_annualgrade"  # where the assessment app created it
        ordering = ["teacher", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "year"], name="annual_grade_once_per_year")
        ]

    def __str__(self):
        return f"{self.teacher} {self.year}: {self.get_grade_display()}"

    @property
    def year_label(self) -> str:
        return f"{self.year}–{self.year + 1}"


class CareerQuerySet(ScopedQuerySet):
    school_path = "teacher__school"


class PostHeld(models.Model):
    """A post the teacher held or holds, with its dates: "giving young teachers posts early"
    is seen from these. Teacher.posts keeps the posts held today, for the roster."""

    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="posts_held", verbose_name=_("teacher")
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CareerQuerySet.as_manager()

    class Meta:
        verbose_name = _("post held")
        verbose_name_plural = _("posts held")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="post_held_dates_in_order",
                violation_error_message=_("A post cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.teacher} · {self.get_post_display()}"

    def is_held_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class TitleAward(models.Model):
    """A professional title (职称) with the date it was awarded; the latest is Teacher.title."""

    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="title_awards", verbose_name=_("teacher")
    )
    title = models.PositiveSmallIntegerField(_("professional title"), choices=Title.choices)
    awarded_on = models.DateField(_("awarded on"))
    note = models.CharField(_("certificate or note"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CareerQuerySet.as_manager()

    class Meta:
        verbose_name = _("title awarded")
        verbose_name_plural = _("title history")
        ordering = ["-awarded_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "title"], name="title_awarded_once")
        ]

    def __str__(self):
        return f"{self.teacher} · {self.get_title_display()}"
