"""The duties engine: for each backbone teacher and period, what each duty requires, what the
verified records bring, what is missing and how the teacher stands.

Only verified records count (``Record.objects.counting()``); submitted ones are shown apart as
"pending" so a teacher sees what verification would bring.

Periods
    year      the school year (SchoolYear dates; 1 Sep – 31 Aug when the year is not set up).
    semester  with ``semester`` given, that semester; without it, every semester of the year
              begun by ``today``, each owing ``required`` (so the whole year owes it twice).
    term      the designation's term, first_year .. last_year (school years).
    month     ``required`` for each month begun so far, from the first day of teaching
              (of the year, or of the chosen semester) to the end of the current month.

Status (``duty_state``), with ``progress = done / required`` and ``elapsed`` the share of the
period's days gone by (0 before it starts, 1 once it is over):
    met       progress >= 1 (training hours: the school-based minimum too);
    missed    the period is over and the duty is not met;
    at_risk   progress < elapsed - AT_RISK_MARGIN (more than a quarter of the period behind);
    on_track  otherwise. Exactly at elapsed - AT_RISK_MARGIN is still on track.

Which duties: the teacher's tier is that of their tier designation covering the school year
(active first, then the highest tier); the templates are those valid in that year
(valid_from <= year <= valid_until) for the teacher's district, and a school's own row replaces
the district default of the same tier and duty.

Everything is read in a constant number of queries, however many teachers are asked for.

The rooms: ``state`` (the status rule and a duty's status), ``periods`` (calendars and the
window a duty is counted over), ``requirements`` (which duties a teacher owes), ``counting``
(what the records bring), ``engine`` (duty_statuses), ``counts`` (duty_counts, counted in the
database for the grid) and ``queries`` (reads for the pages).
"""

from .counting import _count, _judge, _status
from .counts import CountedDuty, _counted_duties, duty_counts
from .engine import _Setting, _setting, _statuses, duty_statuses
from .periods import DEFAULT_SEMESTERS, TierTerm, default_semester_dates, default_year_dates
from .queries import backbone_teachers, records_by_id
from .requirements import (
    DUTY_RECORD_KINDS,
    effective_templates,
    templates_in_force,
    tier_designations,
)
from .state import (
    AT_RISK_MARGIN,
    STATE_BADGE,
    STATE_RANK,
    ZERO,
    DutyState,
    DutyStatus,
    _rank,
    duty_state,
    elapsed_share,
    worst_rank,
)

__all__ = [
    "AT_RISK_MARGIN",
    "DEFAULT_SEMESTERS",
    "DUTY_RECORD_KINDS",
    "STATE_BADGE",
    "STATE_RANK",
    "ZERO",
    "CountedDuty",
    "DutyState",
    "DutyStatus",
    "TierTerm",
    "backbone_teachers",
    "default_semester_dates",
    "default_year_dates",
    "duty_counts",
    "duty_state",
    "duty_statuses",
    "effective_templates",
    "elapsed_share",
    "records_by_id",
    "templates_in_force",
    "tier_designations",
    "worst_rank",
    # the grid (duties_grid) builds on the engine's own steps
    "_Setting",
    "_count",
    "_counted_duties",
    "_judge",
    "_rank",
    "_setting",
    "_status",
    "_statuses",
]
