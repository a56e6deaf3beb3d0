"""Reads of a lesson study: its rounds side by side, each with the averages of its
evaluations (评课) and of the ratings of the observations made of it, in three queries
however many rounds and evaluations."""

from dataclasses import dataclass

from django.db.models import Avg, Count, QuerySet

from core.scoping import get_for_user

from ..models import LessonStudy, LessonStudyRound, Observation, OpenClass, OpenClassEvaluation

CRITERIA = ("design", "delivery", "engagement", "effect")


def lesson_study_list(*, user) -> QuerySet[LessonStudy]:
    return (
        LessonStudy.objects.visible_to(user)
        .select_related("school")
        .annotate(round_count=Count("rounds"))
        .order_by("-created_at", "-pk")
    )


def get_lesson_study(*, user, pk: int, write: bool = False) -> LessonStudy:
    return get_for_user(LessonStudy.objects.select_related("school"), user, write=write, pk=pk)


@dataclass
class RoundView:
    round: LessonStudyRound
    evaluations: int
    averages: dict  # criterion -> average 1..5, or None
    overall: float | None
    observations: int
    observed_rating: float | None

    @property
    def average_list(self) -> list:
        return [self.averages[c] for c in CRITERIA]


def comparison(*, study: LessonStudy, user) -> list[RoundView]:
    """The rounds in order, with what the user may read of each class (a class they may not
    see, such as a draft, shows no figures)."""
    rounds = list(study.rounds.select_related("open_class__teacher").order_by("number", "pk"))
    ids = [r.open_class_id for r in rounds]
    seen = OpenClass.objects.visible_to(user).filter(pk__in=ids)
    visible = set(seen.values_list("pk", flat=True))
    evaluations = {
        row["open_class_id"]: row
        for row in OpenClassEvaluation.objects.filter(open_class_id__in=visible)
        .values("open_class_id")
        .annotate(n=Count("pk"), **{c: Avg(c) for c in CRITERIA})
    }
    observations = {
        row["open_class_id"]: row
        for row in Observation.objects.counting()
        .filter(open_class_id__in=visible)
        .values("open_class_id")
        .annotate(n=Count("pk"), rating=Avg("rating"))
    }
    views = []
    for r in rounds:
        ev = evaluations.get(r.open_class_id, {})
        ob = observations.get(r.open_class_id, {})
        averages = {c: ev.get(c) for c in CRITERIA}
        given = [v for v in averages.values() if v is not None]
        views.append(
            RoundView(
                round=r,
                evaluations=ev.get("n", 0),
                averages=averages,
                overall=sum(given) / len(given) if given else None,
                observations=ob.get("n", 0),
                observed_rating=ob.get("rating"),
            )
        )
    return views


def linkable_classes(*, study: LessonStudy, user) -> QuerySet[OpenClass]:
    """The school's open classes the user may see that could become a round."""
    return (
        OpenClass.objects.visible_to(user)
        .filter(teacher__school_id=study.school_id)
        .exclude(pk__in=study.rounds.values("open_class_id"))
        .select_related("teacher")
        .order_by("-date", "-pk")
    )
