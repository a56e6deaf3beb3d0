"""The thresholds of the traffic light, and what a week and a pairing's compliance hold."""

import datetime
import math
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models import Status

from ..models import Pairing

GREEN_PERCENT = 90  # green: at least this share of the observations required so far ...

RECENT_WEEKS = 4  # ... and, among the last RECENT_WEEKS counted weeks that are over, ...

RECENT_MISSED_ALLOWED = 1  # ... no more than this many missed

AMBER_PERCENT = 60  # amber: at least this share; red below

TEACHING_DAYS_PER_WEEK = 5

COUNTED_STATUSES = (Status.VERIFIED, Status.SUBMITTED)

STARTED_STATUSES = (Pairing.Status.ACTIVE, Pairing.Status.COMPLETED, Pairing.Status.ENDED_EARLY)


class Light(models.TextChoices):
    RED = "red", _("Behind")
    AMBER = "amber", _("Falling behind")
    GREEN = "green", _("On track")
    NONE = "none", _("Nothing due yet")


LIGHT_ORDER = {Light.RED: 0, Light.AMBER: 1, Light.GREEN: 2, Light.NONE: 3}


def required_for(per_week: int, teaching_days: int) -> int:
    """Observations a week requires: the weekly number pro-rated by its teaching days, rounded
    up (2 a week: 1 teaching day → 1, 3 days → 2, 5 days → 2)."""
    return math.ceil(per_week * teaching_days / TEACHING_DAYS_PER_WEEK)


# -- the numbers -------------------------------------------------------------------------------
@dataclass
class Tally:
    """Observations in one direction: required, done (verified or pending) and pending."""

    required: int = 0
    done: int = 0
    pending: int = 0

    @property
    def short(self) -> bool:
        return self.done < self.required

    @property
    def verified(self) -> int:
        return self.done - self.pending

    @property
    def credited(self) -> int:
        return min(self.done, self.required)

    def add(self, other: "Tally") -> None:
        self.required += other.required
        self.done += other.done
        self.pending += other.pending


@dataclass
class Week:
    monday: datetime.date
    first: datetime.date  # the week's first day inside the pairing
    last: datetime.date  # and its last
    teaching_days: int
    holidays: list[str]
    in_progress: bool
    mentor: Tally = field(default_factory=Tally)
    apprentice: Tally = field(default_factory=Tally)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def counts(self) -> bool:
        return self.teaching_days > 0

    @property
    def missed(self) -> bool:
        return self.counts and not self.in_progress and (self.mentor.short or self.apprentice.short)


@dataclass
class Compliance:
    pairing_id: int
    start: datetime.date
    end: datetime.date | None  # the period end; None when nothing has started
    mentor_per_week: int
    apprentice_per_week: int
    weeks: list[Week]
    mentor: Tally = field(default_factory=Tally)
    apprentice: Tally = field(default_factory=Tally)

    @property
    def counted_weeks(self) -> list[Week]:
        return [w for w in self.weeks if w.counts]

    @property
    def missed_weeks(self) -> int:
        return sum(1 for w in self.weeks if w.missed)

    @property
    def recent_missed(self) -> int:
        finished = [w for w in self.counted_weeks if not w.in_progress]
        return sum(1 for w in finished[-RECENT_WEEKS:] if w.missed)

    @property
    def required(self) -> int:
        return self.mentor.required + self.apprentice.required

    @property
    def credited(self) -> int:
        return self.mentor.credited + self.apprentice.credited

    @property
    def percent(self) -> int | None:
        if not self.required:
            return None
        return 100 * self.credited // self.required

    @property
    def light(self) -> Light:
        if not self.required:
            return Light.NONE
        # Compare in whole numbers: 89.9% is not 90%.
        share = 100 * self.credited
        if share >= GREEN_PERCENT * self.required and self.recent_missed <= RECENT_MISSED_ALLOWED:
            return Light.GREEN
        if share >= AMBER_PERCENT * self.required:
            return Light.AMBER
        return Light.RED

    @property
    def light_label(self) -> str:
        return self.light.label

    @property
    def weeks_newest_first(self) -> list[Week]:
        return self.weeks[::-1]
