"""Every read of teachers a page needs, already scoped to the user."""

from dataclasses import dataclass, field

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from .models import Post, Teacher


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


@dataclass
class SchoolPosts:
    school: object
    young: int = 0
    holding: int = 0  # young teachers holding a post today
    early: int = 0  # ... whose first post came within EARLY_POST_YEARS of teaching
    by_post: dict = field(default_factory=dict)

    @property
    def share(self) -> int | None:
        return round(100 * self.holding / self.young) if self.young else None

    @property
    def share_label(self) -> str:
        return f"{self.share}%"

    def counts(self) -> list[int]:
        return [self.by_post.get(post, 0) for post in Post.values]


EARLY_POST_YEARS = 3


def young_teachers_posts(*, user, today=None) -> list[SchoolPosts]:
    """Per school the user sees: its young teachers on staff (under 35), how many hold a post
    today and which, and how many were given their first post within their first
    EARLY_POST_YEARS years of teaching. Three queries, however many teachers."""
    from .models import YOUNG_TEACHER_AGE, PostHeld
    from .stages import completed_years, years_ago

    today = today or timezone.localdate()
    schools = user.scope.schools().order_by("code")
    rows = {s.pk: SchoolPosts(school=s) for s in schools}
    young = (
        Teacher.objects.visible_to(user)
        .filter(
            user.scope.school_filter(),
            is_active=True,
            birth_date__gt=years_ago(today, YOUNG_TEACHER_AGE),
        )
        .annotate(first_post=Min("posts_held__started_on"))
        .values_list("pk", "school_id", "career_start", "first_post")
    )
    teachers = {}
    for pk, school_id, career_start, first_post in young:
        if school_id not in rows:
            continue
        teachers[pk] = school_id
        row = rows[school_id]
        row.young += 1
        if first_post and completed_years(career_start, first_post) < EARLY_POST_YEARS:
            row.early += 1
    held = (
        PostHeld.objects.filter(teacher_id__in=list(teachers), started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .values_list("teacher_id", "post")
        .distinct()
    )
    holding: dict[int, set] = {}
    for teacher_id, post in held:
        holding.setdefault(teacher_id, set()).add(post)
        row = rows[teachers[teacher_id]]
        row.by_post[post] = row.by_post.get(post, 0) + 1
    for teacher_id in holding:
        rows[teachers[teacher_id]].holding += 1
    return list(rows.values())
