"""Every write to the roster."""

import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import Role, RoleAssignment, User

from .models import Teacher


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
def teacher_account_create(*, teacher: Teacher) -> tuple[User, str]:
    """Give a roster teacher a login with the teacher role at their school.

    Returns the user and a one-time initial password, which is also emailed when the teacher
    has an email address. A teacher who already has a login keeps it."""
    teacher = Teacher.objects.select_for_update().select_related("school").get(pk=teacher.pk)
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
