"""The reasons shown beside a teacher on the honours and priority lists, in the reader's
language."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import school_year_label
from teachers.models import Grade


def grade_reason(grade: int | None, year: int) -> str:
    if grade is None:
        return _("No released annual grade for %(year)s") % {"year": school_year_label(year)}
    return _("Annual assessment %(year)s: %(grade)s") % {
        "year": school_year_label(year),
        "grade": Grade(grade).label,
    }


def duty_reason(met: int, total: int) -> str:
    if not total:
        return _("No backbone duties owed")
    return _("Duties met: %(met)s of %(total)s") % {"met": met, "total": total}


def outcome_reason(total: int, higher: int) -> str:
    if not total:
        return ""  # "0 verified outcomes" is no reason to commend anyone
    text = ngettext("%(n)s verified outcome", "%(n)s verified outcomes", total) % {"n": total}
    if higher:
        text += _(" (%(n)s at district level or above)") % {"n": higher}
    return text


def candidate_reasons(candidate) -> list[str]:
    year = candidate.honour_list.year
    reasons = [
        grade_reason(candidate.grade, year),
        duty_reason(candidate.duties_met, candidate.duties_total),
        outcome_reason(candidate.outcomes, candidate.higher_outcomes),
    ]
    return [reason for reason in reasons if reason]
