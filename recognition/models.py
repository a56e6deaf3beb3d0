"""Allowances and one-off rewards (待遇).

- A ``Rate`` is an amount for a kind of payment: the monthly allowance of a tier, the
  teaching-rookie award, the mentor's reward by the tier the apprentice reached. The district
  office sets the default (school empty); a school may set its own, which overrides the
  default from its month on. Each rate is valid from the first day of a month; a change is a
  new row, so the history stays.
- An ``AllowancePayment`` is one teacher's allowance for one month, marked paid: at most one
  per teacher and month, whatever happens, with the amount paid frozen.
- A ``Reward`` is a one-off reward or a commendation; the mentor's reward is proposed by
  Gugan and decided by the principal.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.models import Designation, Tier
from core.fields import SHORT_TEXT, LimitedTextField
from core.models import District, School
from core.scoping import ScopedQuerySet
from mentoring.models import Pairing
from teachers.models import Teacher


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class Rate(models.Model):
    class Kind(models.TextChoices):
        ALLOWANCE = "allowance", _("Monthly allowance")
        ROOKIE = "rookie", _("Teaching-rookie award")
        MENTOR = "mentor", _("Mentor's reward")

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
        help_text=_("Empty: the district's default for every school."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    tier = models.ForeignKey(
        Tier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tier"),
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=8, decimal_places=2)
    valid_from = models.DateField(_("valid from (month)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        ordering = ["kind", "tier__level", "-valid_from"]
        constraints = [
            # One rate per month and place. School and tier may be empty (the district's
            # default, the rookie award), and empty values never collide in a plain unique
            # index: one partial index per combination of empty fields, which SQLite and
            # PostgreSQL both build (SQLite has no NULLS NOT DISTINCT).
            models.UniqueConstraint(
                fields=["district", "school", "kind", "tier", "valid_from"],
                name="rate_once_per_month",
            ),
            models.UniqueConstraint(
                fields=["district", "kind", "tier", "valid_from"],
                condition=Q(school__isnull=True),
                name="rate_district_default_once_per_month",
            ),
            models.UniqueConstraint(
                fields=["district", "school", "kind", "valid_from"],
                condition=Q(tier__isnull=True),
                name="rate_untiered_once_per_month",
            ),
            models.UniqueConstraint(
                fields=["district", "kind", "valid_from"],
                condition=Q(school__isnull=True, tier__isnull=True),
                name="rate_untiered_default_once_per_month",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__day=1), name="rate_valid_from_first_of_month"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="rate_not_negative"),
            models.CheckConstraint(
                condition=Q(kind="rookie", tier__isnull=True)
                | (~Q(kind="rookie") & Q(tier__isnull=False)),
                name="rate_tier_by_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.tier or ''} · {self.amount}"


class AllowancePaymentQuerySet(ScopedQuerySet):
    pass


class AllowancePayment(models.Model):
    teacher = models.ForeignKey(
        Teacher,
        on_delete=models.PROTECT,
        related_name="allowance_payments",
        verbose_name=_("teacher"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    month = models.DateField(_("month"))
    tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, related_name="+", verbose_name=_("tier")
    )
    designation = models.ForeignKey(
        Designation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("designation"),
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=8, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AllowancePaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("allowance payment")
        verbose_name_plural = _("allowance payments")
        ordering = ["-month", "teacher__staff_no"]
        constraints = [
            # No double payment: a month once paid to a teacher is never paid again.
            models.UniqueConstraint(fields=["teacher", "month"], name="allowance_paid_once"),
            models.CheckConstraint(
                condition=Q(month__day=1), name="allowance_month_first_of_month"
            ),
        ]

    def __str__(self):
        return f"{self.teacher.name} · {self.month:%Y-%m} · {self.amount}"


class RewardQuerySet(ScopedQuerySet):
    pass


class Reward(models.Model):
    class Kind(models.TextChoices):
        ROOKIE = "rookie", _("Teaching-rookie award")
        MENTOR = "mentor", _("Mentor's reward")
        COMMENDATION = "commendation", _("Commendation")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    teacher = models.ForeignKey(
        Teacher, on_delete=models.PROTECT, related_name="rewards", verbose_name=_("teacher")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=8, decimal_places=2, default=0)
    awarded_on = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPROVED
    )
    note = LimitedTextField(_("note"), blank=True, max_length=SHORT_TEXT)
    # The mentor's reward: the apprentice's designation that earned it, and the pairing.
    designation = models.ForeignKey(
        Designation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("apprentice's designation"),
    )
    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pairing"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RewardQuerySet.as_manager()

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["-awarded_on", "-pk"]
        constraints = [
            # One reward per mentor and apprentice designation, however often it is proposed.
            models.UniqueConstraint(
                fields=["teacher", "designation"],
                condition=Q(kind="mentor"),
                name="mentor_reward_once_per_designation",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="reward_not_negative"),
        ]

    def __str__(self):
        return f"{self.teacher.name} · {self.label}"

    @property
    def label(self) -> str:
        """What the reward is for; a mentor's reward names the apprentice and the tier."""
        if self.kind == self.Kind.MENTOR and self.designation_id:
            designation = self.designation
            return _("Apprentice %(name)s designated %(tier)s") % {
                "name": designation.teacher.name,
                "tier": designation.tier.label,
            }
        return self.title
