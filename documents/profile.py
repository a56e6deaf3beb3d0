"""The "Print dossier" button on the teacher's page (see teachers.profile)."""

from teachers.models import Title
from teachers.profile import profile_part

from .evidence import YEARS_DEFAULT, YEARS_MAX

EVIDENCE_YEARS = range(1, YEARS_MAX + 1)


@profile_part(template="documents/dossier/_print_button.html", order=10, place="actions")
def print_dossier(request, teacher) -> dict:
    return {
        "evidence_years": EVIDENCE_YEARS,
        "evidence_titles": [(v, label) for v, label in Title.choices if v > teacher.title],
        "evidence_default_years": YEARS_DEFAULT,
    }
