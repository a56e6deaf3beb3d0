"""The contract terms of a pairing and their defaults: the period, goals, duties and how many
observations a week."""

import datetime
from typing import TypedDict

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import school_year_start


class PairingTerms(TypedDict, total=False):
    """The contract terms a proposal may set; whatever is left out gets the defaults."""

    start_date: datetime.date
    end_date: datetime.date
    goals: str
    mentor_duties: str
    apprentice_duties: str
    mentor_observations_per_week: int
    apprentice_observations_per_week: int


DEFAULT_MENTOR_OBSERVATIONS = 2

DEFAULT_APPRENTICE_OBSERVATIONS = 1

MIN_DEFAULT_DAYS = 60  # a default period shorter than this runs on to the next school year


# -- defaults ------------------------------------------------------------------------------------
def school_year_end(day: datetime.date) -> datetime.date:
    """31 August of the school year containing ``day``."""
    return datetime.date(school_year_start(day) + 1, 8, 31)


def default_goals() -> str:
    return _(
        "Within the pairing the apprentice learns to design, teach and reflect on a class "
        "independently, raises the quality of everyday teaching, takes part in research and "
        "writing, and gives a report class (汇报课) at the end of the pairing, growing towards "
        "the next backbone tier."
    )


def default_mentor_duties(per_week: int = DEFAULT_MENTOR_OBSERVATIONS) -> str:
    observe = ngettext(
        "Attend at least %(n)d of the apprentice's classes a week and comment promptly after "
        "each one.",
        "Attend at least %(n)d of the apprentice's classes a week and comment promptly after "
        "each one.",
        per_week,
    ) % {"n": per_week}
    return "\n".join(
        [
            observe,
            _("Review the apprentice's lesson plans and guide lesson preparation."),
            _("Guide the apprentice's reflection, research and writing."),
            _("Open your own classes to the apprentice and explain your teaching choices."),
            _("Write a final appraisal of the apprentice at the end of the pairing."),
        ]
    )


def default_apprentice_duties(per_week: int = DEFAULT_APPRENTICE_OBSERVATIONS) -> str:
    observe = ngettext(
        "Attend at least %(n)d of the mentor's classes a week and keep an observation record.",
        "Attend at least %(n)d of the mentor's classes a week and keep an observation record.",
        per_week,
    ) % {"n": per_week}
    return "\n".join(
        [
            observe,
            _(
                "Hand in lesson plans for review before teaching and open your classes to the "
                "mentor."
            ),  # fmt: skip
            _("Write a reflection after classes the mentor observed."),
            _("Give a report class (汇报课) at the end of the pairing."),
        ]
    )


def default_terms(
    *,
    today: datetime.date | None = None,
    mentor_per_week: int = DEFAULT_MENTOR_OBSERVATIONS,
    apprentice_per_week: int = DEFAULT_APPRENTICE_OBSERVATIONS,
) -> PairingTerms:
    """One school year from today, with the usual goals and duties in the active language."""
    today = today or timezone.localdate()
    end = school_year_end(today)
    if (end - today).days < MIN_DEFAULT_DAYS:  # asked for in the summer: the next school year
        end = school_year_end(end + datetime.timedelta(days=1))
    return PairingTerms(
        start_date=today,
        end_date=end,
        goals=default_goals(),
        mentor_duties=default_mentor_duties(mentor_per_week),
        apprentice_duties=default_apprentice_duties(apprentice_per_week),
        mentor_observations_per_week=mentor_per_week,
        apprentice_observations_per_week=apprentice_per_week,
    )
