"""The scoring engine of every panel: a committee (selection rounds), an assessment committee,
and later competition judges and training assessors.

A panel scores its entrants on its items. Each member has one sheet, a draft until they submit
it; a submitted sheet is final. The domain object that owns the panel (a selection round, an
assessment round) points at it, and each of its candidates or entries at an entrant, with a
one-to-one field: this app imports no domain app.

Secrecy is kept by the panel (``revealed_at``) and read only through ``scoring.visibility``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Panel(models.Model):
    school = models.ForeignKey(
        "core.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    district = models.ForeignKey(
        "core.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    city = models.ForeignKey(
        "core.City",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="PanelMember",
        related_name="scoring_panels",
        verbose_name=_("members"),
    )
    # Secret until the owner's rules reveal the scores (公示, finalising): then every viewer
    # of the owner sees them.
    revealed_at = models.DateTimeField(_("scores revealed at"), null=True, blank=True)
    # The school's managers who do not sit on the panel see the scores while they are secret
    # (they do not score, so nothing can be copied).
    managers_see_while_secret = models.BooleanField(
        _("managers off the panel see scores while secret"), default=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scoring panel")
        verbose_name_plural = _("scoring panels")
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False)
                | Q(district__isnull=False)
                | Q(city__isnull=False),
                name="panel_has_an_owner_scope",
            )
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def is_secret(self) -> bool:
        return self.revealed_at is None


class PanelMember(models.Model):
    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("panel")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="panel_memberships",
        verbose_name=_("member"),
    )
    # Recused from the whole panel (a conflict of interest): no sheet, marks do not count.
    recused = models.BooleanField(_("recused"), default=False)
    recused_reason = models.CharField(_("reason for recusal"), max_length=200, blank=True)
    # Recused from some entrants only; nobody ever scores an entrant who is themselves.
    recused_from = models.ManyToManyField(
        "Entrant", blank=True, related_name="+", verbose_name=_("recused from")
    )
    left_at = models.DateTimeField(_("left the panel at"), null=True, blank=True)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="panel_member_once")]

    def __str__(self):
        return f"{self.user} @ {self.panel}"

    @property
    def is_active(self) -> bool:
        """Scores, and counts: not recused and still on the panel."""
        return not self.recused and self.left_at is None


class Item(models.Model):
    """What is scored: a criterion of a selection round, a component of an assessment."""

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="items", verbose_name=_("panel")
    )
    name = models.CharField(_("scoring item"), max_length=50)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=100)
    position = models.PositiveSmallIntegerField(default=0)
    # The owner's own id for the item (an assessment template's component), if any.
    key = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        ordering = ["panel", "position", "pk"]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


class Entrant(models.Model):
    """Who is scored: a candidate, an assessed teacher. ``user`` is their login when the
    owner's rules keep them from scoring themselves (回避: a candidate on the committee)."""

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="entrants", verbose_name=_("panel")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("login of the person scored"),
    )
    # Out of the scoring (a withdrawn candidate): not scored, not ranked.
    active = models.BooleanField(_("in the scoring"), default=True)

    class Meta:
        verbose_name = _("entrant")
        verbose_name_plural = _("entrants")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class Sheet(models.Model):
    """One member's marks on a panel; a draft until submitted, then final."""

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("panel")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(fields=["panel", "member"], name="sheet_once_per_member")
        ]

    def __str__(self):
        return f"{self.member} @ {self.panel}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Mark(models.Model):
    sheet = models.ForeignKey(
        Sheet, on_delete=models.CASCADE, related_name="marks", verbose_name=_("score sheet")
    )
    entrant = models.ForeignKey(
        Entrant, on_delete=models.CASCADE, related_name="marks", verbose_name=_("entrant")
    )
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="marks", verbose_name=_("scoring item")
    )
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "entrant", "item"], name="mark_once_per_cell")
        ]

    def __str__(self):
        return f"{self.entrant} · {self.item}: {self.value}"


# -- what an owner app's models inherit ----------------------------------------------------------
class PanelOwner(models.Model):
    """A domain object whose committee scores on a panel: a selection round, an assessment
    round. The panel is made on first save (``new_panel`` says with what)."""

    panel = models.OneToOneField(
        Panel,
        on_delete=models.CASCADE,
        related_name="%(class)s",
        editable=False,
        verbose_name=_("scoring panel"),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.panel_id is None:
            from .services.panels import panel_open

            self.panel = panel_open(**self.new_panel())
        super().save(*args, **kwargs)

    def new_panel(self) -> dict:
        """The arguments of ``panel_open`` for this object's panel."""
        return {"items": [], "members": [], "school": self.school}

    @property
    def committee(self):
        """The members (the panel's, recused ones and leavers included)."""
        return self.panel.members


class Scored(models.Model):
    """A domain object that is scored on its owner's panel: a candidate, an assessed teacher.
    The entrant is made on first save."""

    entrant = models.OneToOneField(
        Entrant,
        on_delete=models.CASCADE,
        related_name="%(class)s",
        editable=False,
        verbose_name=_("entrant"),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.entrant_id is None:
            self.entrant = Entrant.objects.create(
                panel_id=self.round.panel_id, user_id=self.entrant_user_id()
            )
        super().save(*args, **kwargs)

    def entrant_user_id(self) -> int | None:
        """The login that must not score this entrant (回避); none by default."""
        return None
