"""The teacher's designations on their page (see teachers.profile)."""

from teachers.profile import profile_part

from .selectors.designations import designation_history


@profile_part(template="backbone/designations/_teacher_history.html", order=20)
def designations(request, teacher, page) -> dict:
    return {"designations": designation_history(teacher=teacher)}
