"""The teacher's allowance history and rewards on their page (see teachers.profile): the
teacher themselves, the school's principal and training office, the district office."""

from teachers.profile import profile_part

from .selectors import readable_schools
from .sheet import teacher_allowances


def _may_see(user, teacher) -> bool:
    if teacher.user_id is not None and teacher.user_id == user.pk:
        return True
    return readable_schools(user).filter(pk=teacher.school_id).exists()


@profile_part(template="recognition/_teacher_allowances.html", order=25)
def allowances(request, teacher, page) -> dict:
    if not _may_see(request.user, teacher):
        return {"allowance_lines": None}
    return {
        "allowance_lines": teacher_allowances(teacher=teacher),
        "teacher_rewards": list(
            teacher.rewards.filter(status="approved")
            .select_related("designation__teacher", "designation__tier")
            .order_by("-awarded_on", "-pk")
        ),
    }
