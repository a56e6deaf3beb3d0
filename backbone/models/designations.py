"""Backbone tiers, designations and their terms, the reserve pool, eligibility rules and
targets.

Terms are counted in school years by their start year: a designation with first_year=2025
and last_year=2027 runs from 2025–2026 to 2027–2028 inclusive.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.fields import SHORT_TEXT, LimitedTextField
from core.models import District, School, school_year_label, school_year_start  # noqa: F401
from core.scoping import ScopedQuerySet
from teachers.models import Education, Grade, Teacher, Title


def term_end_date(last_year: int) -> datetime.date:
    return datetime.date(last_year + 1, 8, 31)


class Tier(models.Model):
    """An ordered backbone tier (校级 < 区级 < 市级 < 省级) or an honorary title held beside one."""

    class Kind(models.TextChoices):
        TIER = "tier", _("Backbone tier")
        HONORARY = "honorary", _("Honorary title")

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("district")
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name (Chinese)"), max_length=30)
    name_en = models.CharField(_("name (English)"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TIER)
    level = models.PositiveSmallIntegerField(
        _("level"), help_text=_("Tiers are ordered by level, lowest first.")
    )
    default_term_years = models.PositiveSmallIntegerField(_("default term (years)"), default=3)
    designated_by_school = models.BooleanField(
        _("designated by the school"),
        default=False,
        help_text=_("School-level tiers are designated by the school; higher ones by a bureau."),
    )

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["district", "kind", "level"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="tier_code_unique"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        lang = translation.get_language() or ""
        return self.name if lang.startswith("zh") or not self.name_en else self.name_en

    @property
    def is_honorary(self) -> bool:
        return self.kind == self.Kind.HONORARY

    def below(self) -> "Tier | None":
        return (
            Tier.objects.filter(district=self.district, kind=self.Kind.TIER, level__lt=self.level)
            .order_by("-level")
            .first()
        )


DEFAULT_TIERS = [
    # code, name, name_en, kind, level, term years, designated by the school
    ("school", "校级骨干教师", "School-level backbone", Tier.Kind.TIER, 1, 2, True),
    ("district", "区级骨干教师", "District-level backbone", Tier.Kind.TIER, 2, 3, False),
    ("municipal", "市级骨干教师", "Municipal backbone", Tier.Kind.TIER, 3, 3, False),
    ("provincial", "省级骨干教师", "Provincial backbone", Tier.Kind.TIER, 4, 3, False),
    ("subject_leader", "学科带头人", "Subject leader", Tier.Kind.HONORARY, 1, 3, False),
    ("teaching_expert", "教学能手", "Teaching expert", Tier.Kind.HONORARY, 2, 3, False),
    ("famous_teacher", "名师", "Famous teacher", Tier.Kind.HONORARY, 3, 3, False),
]


class DesignationQuerySet(ScopedQuerySet):
    school_path = "teacher__school"

    def current(self, today: datetime.date | None = None):
        """Active and within their term, even if the expiry job has not run yet."""
        today = today or timezone.localdate()
        return self.filter(
            status=Designation.Status.ACTIVE, last_year__gte=school_year_start(today)
        )

    def tiers(self):
        return self.filter(is_honorary=False)

    def honorary(self):
        return self.filter(is_honorary=True)


class Designation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded by promotion")

    class Source(models.TextChoices):
        ROUND = "round", _("Selection round")
        EXTERNAL = "external", _("Recorded from outside")
        PROMOTION = "promotion", _("Promotion")
        IMPORT = "import", _("Imported")

    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="designations", verbose_name=_("teacher")
    )
    tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, related_name="designations", verbose_name=_("tier")
    )
    is_honorary = models.BooleanField(default=False, editable=False)
    first_year = models.PositiveSmallIntegerField(_("first school year"))
    last_year = models.PositiveSmallIntegerField(_("last school year"))
    designated_by = models.CharField(_("designated by"), max_length=100)
    certificate_no = models.CharField(_("certificate number"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    round = models.ForeignKey(
        "SelectionRound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="designations",
        verbose_name=_("selection round"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    designated_on = models.DateField(_("designated on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = LimitedTextField(_("reason"), blank=True, max_length=SHORT_TEXT)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    promoted_to = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promoted_from",
        verbose_name=_("promoted to"),
    )
    flagged_at = models.DateTimeField(_("flagged for revocation at"), null=True, blank=True)
    flag_reason = models.TextField(_("why it is flagged"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = DesignationQuerySet.as_manager()

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["-first_year", "-created_at"]
        constraints = [
            # A teacher holds at most one active tier designation; honorary titles aside.
            models.UniqueConstraint(
                fields=["teacher"],
                condition=Q(status="active", is_honorary=False),
                name="one_active_tier_designation",
            ),
            models.UniqueConstraint(
                fields=["teacher", "tier"],
                condition=Q(status="active", is_honorary=True),
                name="one_active_honorary_title_each",
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="term_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "last_year"])]

    def __str__(self):
        return f"{self.teacher.name} · {self.tier} · {self.term_label}"

    def save(self, *args, **kwargs):
        self.is_honorary = self.tier.is_honorary
        super().save(*args, **kwargs)

    @property
    def term_label(self) -> str:
        return f"{self.first_year}–{self.last_year + 1}"

    @property
    def term_end(self) -> datetime.date:
        return term_end_date(self.last_year)

    @property
    def effective_status(self) -> str:
        """The status as of today: an active designation past its term reads as expired."""
        if self.status == self.Status.ACTIVE and self.term_end < timezone.localdate():
            return self.Status.EXPIRED
        return self.status

    def get_effective_status_display(self) -> str:
        return self.Status(self.effective_status).label


class ReserveEntryQuerySet(ScopedQuerySet):
    school_path = "teacher__school"

    def current(self):
        return self.filter(removed_on__isnull=True)


class ReserveEntry(models.Model):
    """后备队伍: a teacher marked as a candidate for a tier."""

    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="reserve_entries", verbose_name=_("teacher")
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, verbose_name=_("tier"))
    reason = LimitedTextField(_("reason"), max_length=SHORT_TEXT)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_on = models.DateField(_("marked on"), default=timezone.localdate)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    # 推荐上报: the school recommends the teacher to the district office for a district tier.
    recommended_at = models.DateTimeField(_("recommended to the district"), null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recommended by"),
    )
    recommendation = LimitedTextField(_("recommendation"), blank=True, max_length=SHORT_TEXT)

    objects = ReserveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("reserve pool entry")
        verbose_name_plural = _("reserve pool")
        ordering = ["tier__level", "-marked_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "tier"],
                condition=Q(removed_on__isnull=True),
                name="reserve_entry_once_per_tier",
            )
        ]

    def __str__(self):
        return f"{self.teacher.name} → {self.tier}"


class EligibilityRuleSet(models.Model):
    """The rules for a tier. school=None: the district's rules (district tier and up, and the
    default for the school tier); a school's own row overrides the default for the school tier.
    An empty field means the rule is not used."""

    tier = models.ForeignKey(
        Tier, on_delete=models.CASCADE, related_name="rule_sets", verbose_name=_("tier")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("school")
    )
    min_years_teaching = models.PositiveSmallIntegerField(
        _("minimum years of teaching"), null=True, blank=True
    )
    max_years_teaching = models.PositiveSmallIntegerField(
        _("maximum years of teaching"),
        null=True,
        blank=True,
        help_text=_("For tracks such as teaching rookies (1–4 years)."),
    )
    min_education = models.PositiveSmallIntegerField(
        _("minimum education"), choices=Education.choices, null=True, blank=True
    )
    min_title = models.PositiveSmallIntegerField(
        _("minimum professional title"), choices=Title.choices, null=True, blank=True
    )
    min_recent_grade = models.PositiveSmallIntegerField(
        _("minimum annual grade in each of the last two school years"),
        choices=Grade.choices,
        null=True,
        blank=True,
    )
    no_unqualified_in_term = models.BooleanField(
        _("no unqualified grade during the current term"), default=False
    )
    requires_tier_below = models.BooleanField(
        _("must currently hold the tier below"), default=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("eligibility rules")
        verbose_name_plural = _("eligibility rules")
        constraints = [
            models.UniqueConstraint(
                fields=["tier"], condition=Q(school__isnull=True), name="rules_once_per_tier"
            ),
            models.UniqueConstraint(
                fields=["tier", "school"],
                condition=Q(school__isnull=False),
                name="rules_once_per_tier_and_school",
            ),
        ]

    def __str__(self):
        return f"{self.tier} · {self.school or self.tier.district}"


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = user.scope
        if scope.is_superuser:
            return self
        return self.filter(
            Q(school_id__in=scope.staff_school_ids | scope.district_school_ids)
            | Q(district_id__in=scope.district_ids)
        )


class Target(models.Model):
    """A plan such as "by the end of 2027–2028: 3 municipal" for a school or a district."""

    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("school"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("district"),
    )
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, verbose_name=_("tier"))
    by_year = models.PositiveSmallIntegerField(_("by the end of school year (start year)"))
    count = models.PositiveSmallIntegerField(_("number of teachers"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["by_year", "tier__level"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False, district__isnull=True)
                | Q(school__isnull=True, district__isnull=False),
                name="target_for_school_or_district",
            ),
            models.UniqueConstraint(
                fields=["school", "tier", "by_year"],
                condition=Q(school__isnull=False),
                name="school_target_unique",
            ),
            models.UniqueConstraint(
                fields=["district", "tier", "by_year"],
                condition=Q(district__isnull=False),
                name="district_target_unique",
            ),
        ]

    def __str__(self):
        return f"{self.tier} × {self.count} ({school_year_label(self.by_year)})"
