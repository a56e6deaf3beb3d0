"""Weekly observation compliance of a mentoring pairing (师带徒听课), and the training office's
overview of every pairing it may see.

The rules, each tested in tests/mentoring/test_compliance.py:

1. Weeks run Monday to Sunday, from the week of the pairing's start date to the week of its
   *period end*: the earliest of today, its end date and the day it ended (``ended_on``).
   Days of the first and last week outside [start date, period end] belong to no count.
   Proposed and declined pairings have no weeks: nothing is due before a pairing is active.
2. A *teaching day* is a Monday to Friday inside a semester of the school's district calendar
   and not inside one of the district's holidays. Weekends are never teaching days (weekend
   make-up days, 调休, are not in the calendar model).
3. A week *counts* when it has at least one teaching day. In each direction it requires
   ``ceil(per_week × teaching_days / 5)`` observations: a full week requires ``per_week``; a
   partial week (the pairing or a semester starts or ends in it, a holiday takes some days,
   or it is the current week up to today) is pro-rated and rounded up.
4. An observation counts when it is a records.Observation *tagged with the pairing* (the tag
   decides: an untagged observation between the two people does not count, and a tagged one
   is counted once) whose observer and observed teacher are the direction's two people
   (mentor → apprentice: the mentor observed the apprentice's class; apprentice → mentor: the
   reverse), dated inside the week's days. Verified and submitted observations count;
   submitted ones are shown as *pending* verification. Drafts, returned and archived
   records never count.
5. A counted week is *missed* when either direction did fewer than it required. The current
   week is shown with the requirement so far but is not missed while it runs.
6. Percent: observations done over observations required so far, both directions together,
   each direction's done capped at its own requirement (a mentor's surplus does not make up
   for the apprentice's shortfall). Rounded down.
7. Traffic light: green at GREEN_PERCENT or more with at most RECENT_MISSED_ALLOWED missed
   weeks among the last RECENT_WEEKS counted weeks that are over; amber at AMBER_PERCENT or
   more; red below. A pairing with nothing required yet has no light.

The rooms: ``rules`` (the thresholds, Light, Tally, Week, Compliance), ``teaching_days``
(a district's calendar), ``counting`` (a pairing's weeks and observations), ``overview``
(the training office's list).
"""

from .counting import compliance_for, own_end, pairing_compliance
from .overview import Overview, OverviewFilter, OverviewRow, overview_pairings, overview_rows
from .rules import (
    AMBER_PERCENT,
    COUNTED_STATUSES,
    GREEN_PERCENT,
    LIGHT_ORDER,
    RECENT_MISSED_ALLOWED,
    RECENT_WEEKS,
    STARTED_STATUSES,
    TEACHING_DAYS_PER_WEEK,
    Compliance,
    Light,
    Tally,
    Week,
    required_for,
)
from .teaching_days import Calendar, district_calendar

__all__ = [
    "AMBER_PERCENT",
    "COUNTED_STATUSES",
    "Calendar",
    "Compliance",
    "GREEN_PERCENT",
    "LIGHT_ORDER",
    "Light",
    "Overview",
    "OverviewFilter",
    "OverviewRow",
    "RECENT_MISSED_ALLOWED",
    "RECENT_WEEKS",
    "STARTED_STATUSES",
    "TEACHING_DAYS_PER_WEEK",
    "Tally",
    "Week",
    "compliance_for",
    "district_calendar",
    "overview_pairings",
    "overview_rows",
    "own_end",
    "pairing_compliance",
    "required_for",
]
