"""The print buttons on the teacher's page and the evidence pack on My growth (see
teachers.profile)."""

from teachers.models import Title
from teachers.profile import profile_part

from .evidence import YEARS_DEFAULT, YEARS_MAX

EVIDENCE_YEARS = range(1, YEARS_MAX + 1)


def _evidence_choices(teacher) -> dict:
    return {
        "evidence_years": EVIDENCE_YEARS,
        "evidence_titles": [(v, label) for v, label in Title.choices if v > teacher.title],
        "evidence_default_years": YEARS_DEFAULT,
    }


@profile_part(template="documents/dossier/_print_button.html", order=10, place="actions")
def print_dossier(request, teacher, page) -> dict:
    return _evidence_choices(teacher)


@profile_part(template="documents/evidence/_growth_card.html", order=30, place="growth")
def print_evidence(request, teacher, page) -> dict:
    """On My growth, the teacher's own evidence pack (the staff print it from the teacher's
    page)."""
    return _evidence_choices(teacher)
