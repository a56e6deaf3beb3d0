"""Every write of mentoring: pairings from proposal to completion or renewal, observations
logged through a pairing, guidance sessions and their confirmation, the final appraisal.

A pairing moves PROPOSED → ACTIVE (approved) → COMPLETED or ENDED_EARLY; a proposal may be
DECLINED instead. Every transition re-reads the pairing under a row lock, so a second click
or a second tab finds the state already changed and does nothing.

The rooms: ``terms`` (the contract terms and their defaults), ``pairings`` (the pairing's
transitions), ``activities`` (observations and guidance sessions within a pairing).
"""

from .activities import pairing_observe, session_confirm, session_log
from .pairings import (
    PairingStatus,
    overload_message,
    pairing_appraise,
    pairing_approve,
    pairing_assign,
    pairing_complete,
    pairing_decline,
    pairing_end_early,
    pairing_offer,
    pairing_renew,
    pairing_request,
)
from .terms import (
    DEFAULT_APPRENTICE_OBSERVATIONS,
    DEFAULT_MENTOR_OBSERVATIONS,
    MIN_DEFAULT_DAYS,
    PairingTerms,
    default_apprentice_duties,
    default_goals,
    default_mentor_duties,
    default_terms,
    school_year_end,
)

__all__ = [
    "DEFAULT_APPRENTICE_OBSERVATIONS",
    "DEFAULT_MENTOR_OBSERVATIONS",
    "MIN_DEFAULT_DAYS",
    "PairingStatus",
    "PairingTerms",
    "default_apprentice_duties",
    "default_goals",
    "default_mentor_duties",
    "default_terms",
    "overload_message",
    "pairing_appraise",
    "pairing_approve",
    "pairing_assign",
    "pairing_complete",
    "pairing_decline",
    "pairing_end_early",
    "pairing_observe",
    "pairing_offer",
    "pairing_renew",
    "pairing_request",
    "school_year_end",
    "session_confirm",
    "session_log",
]
