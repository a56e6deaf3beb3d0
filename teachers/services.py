"""Every write to the roster."""

import datetime
import logging
import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Role, RoleAssignment, User
from scoring.models import PanelMember
from scoring.services.panels import member_leave

from .models import Post, PostHeld, Teacher, Title, TitleAward

logger = logging.getLogger(__name__)


@transaction.atomic
def teacher_save(*, teacher: Teacher) -> Teacher:
    teacher.full_clean()
    teacher.save()
    return teacher


def _username_for(teacher: Teacher) -> str:
    base = f"{teacher.school.code}-{teacher.staff_no}".lower()
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def teacher_roles_end(*, teacher: Teacher) -> list[str]:
    """Leaving the school ends the person's roles there; their records stay.

    Every role the teacher's login holds at the teacher's school goes (teacher, committee
    member, training office, principal), and they leave every scoring panel of the school (a
    sheet they submitted still counts, a draft never does, and they score no more); roles and
    panels at other schools and at a district stay. A login
    left with no role anywhere is switched off, so it can no longer sign in and a session
    already open ends on its next request (Django's ModelBackend drops inactive users).
    Returning to staff gives nothing back: the school grants the roles again.

    Called for every save of a teacher who is not on staff (teachers.signals), whatever saved
    it: the edit form, an import, the admin. Harmless to repeat. Returns the roles ended."""
    if teacher.is_active or teacher.user_id is None:
        return []
    user = User.objects.select_for_update().get(pk=teacher.user_id)
    held = RoleAssignment.objects.filter(user=user, school_id=teacher.school_id)
    ended = sorted(held.values_list("role", flat=True))
    if ended:
        held.delete()
        # The audit trail of role changes: who lost which roles where, and why.
        logger.info(
            "roles %s of user %s at school %s ended: teacher %s left on %s",
            ",".join(ended), user.pk, teacher.school_id, teacher.pk, teacher.left_on,
        )  # fmt: skip
    panels_left = PanelMember.objects.filter(
        user=user, panel__school_id=teacher.school_id, left_at__isnull=True
    ).select_related("panel")
    for membership in panels_left:
        member_leave(panel=membership.panel, user=user)
    if user.is_active and not user.is_superuser and not user.role_assignments.exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
        logger.info("user %s switched off: no role left after leaving", user.pk)
    return ended


def has_role_at_school(teacher: Teacher) -> bool:
    return (
        teacher.user_id is not None
        and RoleAssignment.objects.filter(
            user_id=teacher.user_id, school_id=teacher.school_id
        ).exists()
    )


@transaction.atomic
def teacher_login_restore(*, teacher: Teacher) -> User:
    """Give a teacher back on staff their login: the teacher role at their school, and the
    login switched on again. Other roles (committee, training office, principal) are granted
    again by the administrator; nothing comes back by itself."""
    teacher = (
        Teacher.objects.select_for_update(of=("self",)).select_related("user").get(pk=teacher.pk)
    )
    if teacher.user is None:
        raise ValidationError(_("%(name)s has no login yet.") % {"name": teacher.name})
    if not teacher.is_active:
        raise ValidationError(
            _("%(name)s is not on staff: mark them back on staff first.") % {"name": teacher.name}
        )
    if has_role_at_school(teacher):
        raise ValidationError(_("%(name)s already has a login.") % {"name": teacher.name})
    RoleAssignment.objects.get_or_create(
        user=teacher.user, role=Role.TEACHER, school_id=teacher.school_id
    )
    if not teacher.user.is_active:
        teacher.user.is_active = True
        teacher.user.save(update_fields=["is_active"])
    logger.info("teacher role of user %s at school %s restored", teacher.user_id, teacher.school_id)
    return teacher.user


@transaction.atomic
def teacher_account_create(*, teacher: Teacher) -> tuple[User, str]:
    """Give a roster teacher a login with the teacher role at their school.

    Returns the user and a one-time initial password, which is also emailed when the teacher
    has an email address. A teacher who already has a login keeps it."""
    teacher = (
        Teacher.objects.select_for_update(of=("self",)).select_related("school").get(pk=teacher.pk)
    )
    if teacher.user_id:
        raise ValidationError(_("%(name)s already has a login.") % {"name": teacher.name})
    password = secrets.token_urlsafe(9)
    user = User.objects.create_user(
        username=_username_for(teacher),
        password=password,
        email=teacher.email,
        display_name=teacher.name,
        language=teacher.school.language,
    )
    RoleAssignment.objects.create(user=user, role=Role.TEACHER, school=teacher.school)
    teacher.user = user
    teacher.save(update_fields=["user", "updated_at"])
    if teacher.email:
        transaction.on_commit(lambda: _send_invitation(teacher, user, password))
    return user, password


def _send_invitation(teacher: Teacher, user: User, password: str) -> None:
    send_mail(
        subject=_("Your Gugan login"),
        message=_(
            "Dear %(name)s,\n\n%(school)s has created your Gugan login.\n"
            "Username: %(username)s\nInitial password: %(password)s\n\n"
            "Please change the password after your first login."
        )
        % {
            "name": teacher.name,
            "school": teacher.school.name,
            "username": user.username,
            "password": password,
        },
        from_email=None,
        recipient_list=[teacher.email],
        fail_silently=True,
    )


# -- posts held and the title history ----------------------------------------------------------
def _posts_in_step(teacher: Teacher, today: datetime.date | None = None) -> None:
    """Teacher.posts is the posts held today, in the order of the choices."""
    today = today or timezone.localdate()
    held = {p.post for p in teacher.posts_held.all() if p.is_held_on(today)}
    teacher.posts = [value for value in Post.values if value in held]
    teacher.save(update_fields=["posts", "updated_at"])


def _title_in_step(teacher: Teacher) -> None:
    """Teacher.title is the latest title awarded (no title without any)."""
    latest = teacher.title_awards.order_by("-awarded_on", "-title").first()
    teacher.title = latest.title if latest else Title.NONE
    teacher.save(update_fields=["title", "updated_at"])


@transaction.atomic
def post_held_add(
    *,
    teacher: Teacher,
    post: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    note: str = "",
) -> PostHeld:
    """Record a post with its dates. The same post cannot be held twice at the same time."""
    teacher = Teacher.objects.select_for_update().get(pk=teacher.pk)
    held = PostHeld(teacher=teacher, post=post, started_on=started_on, ended_on=ended_on, note=note)
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("A post cannot end before it starts.")})
    held.full_clean()
    far = datetime.date.max
    for other in teacher.posts_held.filter(post=post):
        if started_on <= (other.ended_on or far) and other.started_on <= (ended_on or far):
            raise ValidationError(
                _("%(name)s already holds this post in that time.") % {"name": teacher.name}
            )
    held.save()
    _posts_in_step(teacher)
    return held


@transaction.atomic
def post_held_end(*, held: PostHeld, ended_on: datetime.date) -> PostHeld:
    held = PostHeld.objects.select_for_update().get(pk=held.pk)
    if held.ended_on is not None:
        return held  # ended already: a second click changes nothing
    if ended_on < held.started_on:
        raise ValidationError({"ended_on": _("A post cannot end before it starts.")})
    held.ended_on = ended_on
    held.save(update_fields=["ended_on"])
    _posts_in_step(held.teacher)
    return held


@transaction.atomic
def post_held_remove(*, held: PostHeld) -> None:
    """A post entered by mistake."""
    teacher = held.teacher
    PostHeld.objects.filter(pk=held.pk).delete()
    _posts_in_step(teacher)


@transaction.atomic
def title_award_add(
    *, teacher: Teacher, title: int, awarded_on: datetime.date, note: str = ""
) -> TitleAward:
    """Record a title with the date it was awarded; Teacher.title follows the latest."""
    teacher = Teacher.objects.select_for_update().get(pk=teacher.pk)
    if title == Title.NONE:
        raise ValidationError({"title": _("Choose the title that was awarded.")})
    award = teacher.title_awards.filter(title=title).first() or TitleAward(
        teacher=teacher, title=title
    )
    award.awarded_on, award.note = awarded_on, note
    award.full_clean(validate_unique=False)
    award.save()
    _title_in_step(teacher)
    return award


@transaction.atomic
def title_award_remove(*, award: TitleAward) -> None:
    """A title entered by mistake."""
    teacher = award.teacher
    TitleAward.objects.filter(pk=award.pk).delete()
    _title_in_step(teacher)
