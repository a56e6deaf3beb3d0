"""Selection rounds: candidates, the committee's scores (a panel of the scoring engine), the
public announcement (公示) and its objections."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import LONG_TEXT, SHORT_TEXT, LimitedTextField
from core.models import City, District, School, school_year_label
from core.organised import Organised
from core.scoping import ScopedQuerySet
from scoring.models import PanelOwner, Scored
from teachers.models import Teacher

from .designations import Tier


def _city_round_readers(scope) -> Q:
    """A city's round (市级评选): read by its city office, by the offices of the city's
    districts (each nominating from its own schools) and by the staff of the city's schools
    (the committee is chosen among them; the 公示 is for them all)."""
    schools = set(scope.staff_school_ids)
    if scope.within is not None:
        schools &= scope.within
    cities = District.objects.filter(
        Q(pk__in=scope.district_ids) | Q(schools__in=schools), city__isnull=False
    ).values("city_id")
    return Q(city__isnull=False) & (Q(city_id__in=scope.city_ids) | Q(city_id__in=cities))


class RoundQuerySet(ScopedQuerySet):
    """A school's round, a district office's own (``school`` empty) or a city office's own
    (``city`` set): read and changed by whom ``Scope.organised_filter`` and
    ``organised_write_filter`` say, and for a city's round its office."""

    def visible_to(self, user):
        scope = user.scope
        if scope.is_superuser:
            return self.filter(scope.organised_filter())
        return self.filter(scope.organised_filter() | _city_round_readers(scope))

    def editable_by(self, user):
        scope = user.scope
        own_city = Q(city__isnull=False, city_id__in=scope.city_ids)
        return self.filter(scope.organised_write_filter() | own_city)


class SelectionRound(Organised, PanelOwner):
    """The committee, the criteria and the score sheets are its panel's (``panel``). A school
    runs rounds for the tiers it designates; a district office (``school`` empty) for the
    tiers it designates, its schools nominating within a quota each (``RoundQuota``); a city
    office (``city`` set, ``school`` and ``district`` empty) for the municipal tier, each of
    its districts' offices nominating within a quota per district. A city round's ``tier`` is
    one district's tier of that code: each teacher is designated with their own district's."""

    class Status(models.TextChoices):
        OPEN = "open", _("Accepting applications")
        SCORING = "scoring", _("Committee scoring")
        ANNOUNCED = "announced", _("Public announcement")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("school"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("district"),
    )
    city = models.ForeignKey(
        City,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("city"),
    )
    # A district round: how many each school may nominate unless a RoundQuota says otherwise.
    school_quota = models.PositiveSmallIntegerField(_("nominations per school"), default=0)
    # A city round: how many each district may nominate unless a RoundQuota says otherwise.
    district_quota = models.PositiveSmallIntegerField(_("nominations per district"), default=0)
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, verbose_name=_("tier"))
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("school year (start year)"))
    term_years = models.PositiveSmallIntegerField(_("term (years)"))
    quota = models.PositiveSmallIntegerField(_("quota"))
    apply_from = models.DateField(_("applications open"))
    apply_until = models.DateField(_("applications close"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    announce_from = models.DateField(_("announcement starts"), null=True, blank=True)
    announce_until = models.DateField(_("announcement ends"), null=True, blank=True)
    notice_contact = models.CharField(
        _("contact person for the announcement"),
        max_length=100,
        blank=True,
        help_text=_("Who receives objections, with a telephone number or office."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(apply_until__gte=models.F("apply_from")),
                name="round_application_window_ordered",
            ),
            # One organiser: a school (its district filled in), a district, or a city.
            models.CheckConstraint(
                condition=Q(city__isnull=True)
                & (Q(school__isnull=False) | Q(district__isnull=False))
                | Q(city__isnull=False, school__isnull=True, district__isnull=True),
                name="round_has_an_organiser",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def criteria(self):
        return self.panel.items

    @property
    def is_read_only(self) -> bool:
        return self.status in (self.Status.CONFIRMED, self.Status.CANCELLED)

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)

    def new_panel(self) -> dict:
        if self.city_id:
            scope = {"city": self.city}
        elif self.school_id:
            scope = {"school": self.school}
        else:
            scope = {"district": self.district}
        return {"items": [], "members": [], **scope}

    @property
    def is_city(self) -> bool:
        return self.city_id is not None

    @property
    def is_district(self) -> bool:
        return self.school_id is None and self.city_id is None

    @property
    def organiser_label(self) -> str:
        return str(self.city) if self.city_id else super().organiser_label

    @property
    def language(self) -> str:
        """The language the round's written words (eligibility, reasons) are kept in."""
        return self.school.language if self.school_id else settings.LANGUAGE_CODE

    def quota_for(self, school_id: int) -> int:
        """How many candidates the school may nominate to a district round."""
        held = self.school_quotas.filter(school_id=school_id).values_list("number", flat=True)
        return next(iter(held), self.school_quota)

    def quota_for_district(self, district_id: int) -> int:
        """How many candidates the district may nominate to a city round."""
        held = self.school_quotas.filter(district_id=district_id).values_list("number", flat=True)
        return next(iter(held), self.district_quota)


class RoundQuota(models.Model):
    """A school's nomination quota in a district round, or a district's in a city round, when
    not the round's default."""

    round = models.ForeignKey(
        SelectionRound,
        on_delete=models.CASCADE,
        related_name="school_quotas",
        verbose_name=_("round"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    number = models.PositiveSmallIntegerField(_("nominations"))

    class Meta:
        verbose_name = _("nomination quota")
        verbose_name_plural = _("nomination quotas")
        constraints = [
            models.UniqueConstraint(fields=["round", "school"], name="round_quota_once_per_school"),
            models.UniqueConstraint(
                fields=["round", "district"], name="round_quota_once_per_district"
            ),
            models.CheckConstraint(
                condition=Q(school__isnull=True, district__isnull=False)
                | Q(school__isnull=False, district__isnull=True),
                name="round_quota_for_a_school_or_a_district",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.school or self.district}: {self.number}"


class CandidateQuerySet(ScopedQuerySet):
    # The teacher's school: in a district round a school sees its own nominees only.
    school_path = "teacher__school"


class Candidate(Scored):
    class Source(models.TextChoices):
        APPLIED = "applied", _("Applied")
        NOMINATED = "nominated", _("Nominated by the principal")
        RESERVE = "reserve", _("From the reserve pool")

    round = models.ForeignKey(
        SelectionRound, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("round")
    )
    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="candidacies", verbose_name=_("teacher")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    statement = LimitedTextField(_("application statement"), blank=True, max_length=LONG_TEXT)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    # The eligibility check as of the last evaluation: (met, [reasons]).
    is_eligible = models.BooleanField(_("eligible"), default=False)
    eligibility_summary = models.CharField(_("eligibility"), max_length=300, blank=True)
    score = models.DecimalField(
        _("weighted score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    proposed = models.BooleanField(_("proposed"), default=False)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        # Not by rank: while scoring is secret an order made from the scores would tell them.
        ordering = ["round", "teacher__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "teacher"], name="candidate_once_per_round")
        ]

    def __str__(self):
        return f"{self.teacher.name} @ {self.round}"

    def entrant_user_id(self) -> int | None:
        return self.teacher.user_id  # a candidate on the committee does not score themselves


class ObjectionQuerySet(ScopedQuerySet):
    school_path = "round__school"

    def visible_to(self, user):
        # A district's or a city's round has no school: the objections go with the round.
        return self.filter(round__in=SelectionRound.objects.visible_to(user).values("pk"))


class Objection(models.Model):
    """A written objection lodged during the public announcement (公示)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    round = models.ForeignKey(
        SelectionRound, on_delete=models.CASCADE, related_name="objections", verbose_name=_("round")
    )
    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("concerning"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    text = LimitedTextField(_("objection"), max_length=SHORT_TEXT)
    lodged_at = models.DateTimeField(_("lodged at"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    response = LimitedTextField(_("how it was handled"), blank=True, max_length=SHORT_TEXT)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["lodged_at"]

    def __str__(self):
        return f"{self.round} · {self.author}"
