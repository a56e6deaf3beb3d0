"""The "Print dossier" button on the teacher's page (see teachers.profile)."""

from teachers.profile import profile_part


@profile_part(template="documents/dossier/_print_button.html", order=10, place="actions")
def print_dossier(request, teacher) -> dict:
    return {}
