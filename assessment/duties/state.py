"""How a teacher stands on one duty: the status rule, the status of a duty over its period,
and the risk order the grid sorts by.

Status (``duty_state``), with ``progress = done / required`` and ``elapsed`` the share of the
period's days gone by (0 before it starts, 1 once it is over):
    met       progress >= 1 (training hours: the school-based minimum too);
    missed    the period is over and the duty is not met;
    at_risk   progress < elapsed - AT_RISK_MARGIN (more than a quarter of the period behind);
    on_track  otherwise. Exactly at elapsed - AT_RISK_MARGIN is still on track.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from django.db import models
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import DutyTemplate

AT_RISK_MARGIN = Fraction(1, 4)
ZERO = Decimal(0)


class DutyState(models.TextChoices):
    MISSED = "missed", _("Missed")
    AT_RISK = "at_risk", _("At risk")
    ON_TRACK = "on_track", _("On track")
    MET = "met", _("Met")


# Worst first: the grid sorts teachers by it.
STATE_RANK = {
    DutyState.MISSED: 0,
    DutyState.AT_RISK: 1,
    DutyState.ON_TRACK: 2,
    DutyState.MET: 3,
}

STATE_BADGE = {
    DutyState.MISSED: "text-bg-danger",
    DutyState.AT_RISK: "text-bg-warning",
    DutyState.ON_TRACK: "text-bg-info",
    DutyState.MET: "text-bg-success",
}


def duty_state(*, progress, elapsed, period_over: bool) -> str:
    """The status rule of the module docstring, on exact numbers (Fraction or Decimal)."""
    progress, elapsed = Fraction(progress), Fraction(elapsed)
    if progress >= 1:
        return DutyState.MET
    if period_over:
        return DutyState.MISSED
    if progress < elapsed - AT_RISK_MARGIN:
        return DutyState.AT_RISK
    return DutyState.ON_TRACK


def elapsed_share(start: datetime.date, end: datetime.date, today: datetime.date) -> Fraction:
    """The share of the days from start to end (both included) gone by on ``today``."""
    if today < start:
        return Fraction(0)
    if today >= end:
        return Fraction(1)
    return Fraction((today - start).days + 1, (end - start).days + 1)


def _number_text(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


@dataclass
class DutyStatus:
    template: DutyTemplate
    required: Decimal
    done: Decimal
    pending: Decimal
    missing: Decimal
    status: str
    period_key: str
    period_start: datetime.date
    period_end: datetime.date
    elapsed: Fraction
    record_ids: list[int] = field(default_factory=list)
    pending_ids: list[int] = field(default_factory=list)
    # Training hours only: the school-based part and its minimum.
    school_based: Decimal | None = None
    min_school_based: Decimal | None = None

    @property
    def kind(self) -> str:
        return self.template.kind

    @property
    def label(self) -> str:
        return self.template.get_kind_display()

    @property
    def is_core(self) -> bool:
        return self.template.is_core

    @property
    def is_met(self) -> bool:
        return self.status == DutyState.MET

    @property
    def rank(self) -> int:
        return STATE_RANK[self.status]

    @property
    def status_label(self) -> str:
        return DutyState(self.status).label

    @property
    def badge(self) -> str:
        """The badge's colour (a Bootstrap class) in the grid and on My duties."""
        return STATE_BADGE[self.status]

    @property
    def badge_html(self) -> str:
        """The badge of the grid and of My duties: done/required, and +pending awaiting
        verification. Built here, not in a template: a district's grid page shows 500 of
        them, and a template took 20 ms to render them. The grid repeats a few dozen distinct
        badges, so each is built once per language and reused."""
        return _badge_html(
            get_language(), self.status, self.done_text, self.required_text, self.pending_text
        )

    @property
    def done_text(self) -> str:
        return _number_text(self.done)

    @property
    def required_text(self) -> str:
        return _number_text(self.required)

    @property
    def missing_text(self) -> str:
        return _number_text(self.missing)

    @property
    def pending_text(self) -> str:
        return _number_text(self.pending)

    @property
    def percent(self) -> int:
        if self.required <= 0:
            return 100
        return min(100, int(self.done * 100 / self.required))


@lru_cache(maxsize=4096)
def _badge_html(language: str, status: str, done: str, required: str, pending: str) -> str:
    html = format_html(
        '<span class="badge duty-{} {}" title="{}">{}/{}</span>',
        status,
        STATE_BADGE[status],
        DutyState(status).label,
        done,
        required,
    )
    if pending != "0":
        html += format_html(
            ' <small class="text-body-secondary" title="{}">+{}</small>',
            _("Awaiting verification"),
            pending,
        )
    return html


def _rank(state_ranks: list[int]) -> tuple:
    if not state_ranks:
        return (len(STATE_RANK), 0)
    behind = sum(1 for r in state_ranks if r < STATE_RANK[DutyState.ON_TRACK])
    return (min(state_ranks), -behind)


def worst_rank(statuses: list[DutyStatus]) -> tuple:
    """Sort key of a teacher by risk: worst status first, then most duties behind."""
    return _rank([s.rank for s in statuses])
