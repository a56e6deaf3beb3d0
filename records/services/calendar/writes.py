"""Every write of the calendar: sign-ups, evaluations, and an observation from an evaluation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from teachers.models import Teacher

from ...models import Observation, OpenClass, OpenClassEvaluation, OpenClassSignup
from ..workflow import record_save
from .rules import has_started, is_attendee, is_signed_up, observer_profile, signup_refusal


def _require_observer(user: User) -> Teacher:
    teacher = observer_profile(user)
    if teacher is None:
        # Staff and the district office may look at the calendar but do not observe here.
        raise PermissionDenied
    return teacher


@transaction.atomic
def signup_add(*, open_class: OpenClass, by: User) -> OpenClassSignup:
    """Sign up to observe; signing up twice keeps one sign-up."""
    teacher = _require_observer(by)
    refusal = signup_refusal(teacher, open_class)
    if refusal:
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            signup, _created = OpenClassSignup.objects.get_or_create(
                open_class=open_class, observer=teacher
            )
    except IntegrityError:  # a second tab signed up in between
        signup = OpenClassSignup.objects.get(open_class=open_class, observer=teacher)
    return signup


@transaction.atomic
def signup_cancel(*, open_class: OpenClass, by: User) -> None:
    """Cancel a sign-up; cancelling one that does not exist does nothing."""
    teacher = _require_observer(by)
    refusal = signup_refusal(teacher, open_class)
    if refusal:
        raise ValidationError(refusal)
    OpenClassSignup.objects.filter(open_class=open_class, observer=teacher).delete()


def signup_toggle(*, open_class: OpenClass, by: User, want: bool | None = None) -> bool:
    """Sign up or cancel; ``want`` makes the intent explicit, so a second click of the same
    button changes nothing. Returns whether the user is signed up afterwards."""
    teacher = _require_observer(by)
    if want is None:
        want = not is_signed_up(teacher, open_class)
    if want:
        signup_add(open_class=open_class, by=by)
    else:
        signup_cancel(open_class=open_class, by=by)
    return want


@transaction.atomic
def evaluation_save(
    *,
    open_class: OpenClass,
    by: User,
    design: int,
    delivery: int,
    engagement: int,
    effect: int,
    comments: str,
    log_observation: bool = False,
) -> OpenClassEvaluation:
    """Hand in (or correct) one's evaluation of an open class: one per observer."""
    teacher = _require_observer(by)
    if not is_attendee(teacher, open_class):
        raise PermissionDenied
    if not has_started(open_class):
        raise ValidationError(_("Evaluations open when the class starts."))
    evaluation = (
        OpenClassEvaluation.objects.select_for_update()
        .filter(open_class=open_class, observer=teacher)
        .first()
    ) or OpenClassEvaluation(open_class=open_class, observer=teacher)
    evaluation.design, evaluation.delivery = design, delivery
    evaluation.engagement, evaluation.effect = engagement, effect
    evaluation.comments = (comments or "").strip()
    evaluation.full_clean()
    evaluation.save()
    if log_observation:
        observation_from_evaluation(evaluation=evaluation, by=by)
    return evaluation


def observation_from_evaluation(*, evaluation: OpenClassEvaluation, by: User) -> Observation:
    """The observer's class observation (听课记录, a draft) for the evaluated class; asking
    again returns the one already logged."""
    open_class = evaluation.open_class
    existing = Observation.objects.filter(
        teacher=evaluation.observer, open_class=open_class
    ).first()
    if existing is not None:
        return existing
    observation = Observation(
        teacher=evaluation.observer,
        date=timezone.localtime(open_class.starts_at).date(),
        observed_teacher=open_class.teacher,
        open_class=open_class,
        subject=open_class.subject,
        class_name=open_class.grade_class,
        notes=evaluation.comments,
        rating=int(evaluation.average + 0.5),  # 3.5 → 4, not banker's rounding
    )
    # record_save validates before Observation.save() fills the title in.
    observation.title = f"{open_class.teacher.name} · {open_class.subject}"
    return record_save(record=observation, by=by)
