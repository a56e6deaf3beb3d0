"""Competitions (评比, 赛课): a school's or a district's contest, the entries teachers submit
with their files, and the prizes. Judges score on the contest's panel of the one scoring
engine (``scoring``): its secrecy and recusal rules are the engine's. A published prize is
credited to the winner's records by itself (``contests.services.credits``)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import SHORT_TEXT, LimitedTextField
from core.models import District, Role, School
from core.organised import Organised
from core.scoping import ScopedQuerySet
from scoring.models import PanelOwner, Scored
from teachers.models import Teacher


class Category(models.TextChoices):
    CLASS = "class", _("Class competition (赛课)")
    COURSEWARE = "courseware", _("Courseware (课件)")
    DESIGN = "design", _("Teaching design (教学设计)")
    CASE = "case", _("Case (案例)")
    STORY = "story", _("Teaching story (教育叙事)")
    PAPER = "paper", _("Paper (论文)")
    SPEECH = "speech", _("Speech (演讲)")
    SKILLS = "skills", _("Basic skills (三笔字)")


class Prize(models.TextChoices):
    FIRST = "first", _("First prize (一等奖)")
    SECOND = "second", _("Second prize (二等奖)")
    THIRD = "third", _("Third prize (三等奖)")
    EXCELLENCE = "excellence", _("Excellence award (优秀奖)")


class ContestQuerySet(ScopedQuerySet):
    """A school's contests are seen by its staff and teachers (and its district office); a
    district's contests by its office and by the staff and teachers of its schools. Only the
    organiser (the school's principal or training office, the district office) changes one."""

    def visible_to(self, user):
        scope = user.scope
        schools = scope.staff_school_ids | scope.school_ids_with({Role.TEACHER})
        return self.filter(scope.organised_filter(schools))

    def editable_by(self, user):
        return self.filter(user.scope.organised_write_filter())


class Contest(Organised, PanelOwner):
    year_from = "entry_opens"

    class Stage(models.TextChoices):
        OPEN = "open", _("Taking entries")
        SCORING = "scoring", _("Judges scoring")
        RESULTS = "results", _("Deciding the prizes")
        PUBLISHED = "published", _("Results published")

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
        help_text=_("Empty for a contest of the district."),
    )
    title = models.CharField(_("title"), max_length=200)
    categories = models.JSONField(_("categories"), default=list)
    rules = LimitedTextField(_("rules and requirements"), blank=True, max_length=SHORT_TEXT)
    entry_opens = models.DateField(_("entries open on"))
    entry_closes = models.DateField(_("entries close on"))
    held_on = models.DateField(
        _("held or judged on"), help_text=_("The date the prizes carry on the winners' records.")
    )
    year = models.PositiveSmallIntegerField(_("school year"), editable=False)
    quota_per_school = models.PositiveIntegerField(
        _("entries per school"),
        null=True,
        blank=True,
        help_text=_("District contests: each school recommends up to this many entries."),
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.OPEN)
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-entry_opens", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_closes__gte=models.F("entry_opens")),
                name="contest_entries_close_after_open",
            ),
        ]
        indexes = [models.Index(fields=["district", "year"])]

    def __str__(self):
        return self.title

    @property
    def category_labels(self) -> list[str]:
        labels = dict(Category.choices)
        return [str(labels[c]) for c in self.categories if c in labels]

    @property
    def is_published(self) -> bool:
        return self.stage == self.Stage.PUBLISHED


def new_token() -> str:
    return secrets.token_hex(20)


def entry_upload_to(instance: "Entry", filename: str) -> str:
    # A random name: the original name is kept in the row, never in the path.
    return f"contests/{instance.contest_id}/{instance.token}"


class EntryQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The organiser's side and the judges see every entry; a teacher their own; once the
        results are published, everyone who sees the contest sees the winning entries."""
        contests = Contest.objects.visible_to(user)
        own = Q(teacher__user_id=user.pk)
        managed = Q(contest__in=Contest.objects.editable_by(user))
        staff = Q(teacher__school_id__in=user.scope.managed_school_ids)
        judged = Q(contest__panel__memberships__user_id=user.pk)
        published = Q(contest__stage=Contest.Stage.PUBLISHED) & ~Q(prize="")
        return (
            self.filter(contest__in=contests)
            .filter(own | managed | staff | judged | published)
            .distinct()
        )

    def editable_by(self, user):
        return self.filter(contest__in=Contest.objects.editable_by(user))


class Entry(Scored):
    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="entries", verbose_name=_("competition")
    )
    # A teacher row is deleted only without records (a credited prize protects it): their
    # entries go with them.
    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="contest_entries", verbose_name=_("teacher")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=30, blank=True)
    grade = models.CharField(_("school grade"), max_length=50, blank=True)
    summary = LimitedTextField(_("summary"), blank=True, max_length=SHORT_TEXT)
    token = models.CharField(max_length=40, unique=True, editable=False, default=new_token)
    file = models.FileField(_("file"), upload_to=entry_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    prize = models.CharField(_("prize"), max_length=10, choices=Prize.choices, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("competition entry")
        verbose_name_plural = _("competition entries")
        ordering = ["category", "teacher__staff_no", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "teacher", "category"], name="contest_entry_once_per_category"
            )
        ]

    def __str__(self):
        return f"{self.teacher.name} · {self.title}"

    @property
    def round(self) -> Contest:
        """The owner of the panel (scoring.models.Scored)."""
        return self.contest

    def entrant_user_id(self) -> int | None:
        # 回避: a teacher who also judges never scores their own entry.
        return self.teacher.user_id

    @property
    def source_key(self) -> str:
        """What the winner's record says it was credited from (records.services.credits)."""
        return f"contest-entry:{self.pk}"
