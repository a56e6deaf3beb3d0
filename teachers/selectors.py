"""Every read of teachers a page needs, already scoped to the user."""

from django.db.models import QuerySet

from .models import Teacher


def teacher_list(*, user) -> QuerySet[Teacher]:
    return (
        Teacher.objects.visible_to(user)
        .select_related("school__district", "group")
        .order_by("school__code", "staff_no")
    )


def get_teacher(*, user, pk: int, write: bool = False) -> Teacher:
    from core.scoping import get_for_user

    return get_for_user(
        Teacher.objects.select_related("school__district", "group", "user"),
        user,
        write=write,
        pk=pk,
    )


def latest_annual_grades(*, teacher_ids) -> dict[int, "object"]:
    """Teacher id -> their latest AnnualGrade (one query), for the roster."""
    from .models import AnnualGrade

    latest: dict[int, AnnualGrade] = {}
    for grade in AnnualGrade.objects.filter(teacher_id__in=teacher_ids).order_by("year"):
        latest[grade.teacher_id] = grade
    return latest
