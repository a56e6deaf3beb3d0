"""Entries: a teacher enters a school contest with their work (a file checked by content, as
record attachments are); a school recommends its teachers to a district contest, within the
quota per school (推荐名额). Submitting again in the same category replaces the entry's
details and file, so a double submission makes one entry."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from records.files import check_upload
from records.models import Attachment
from teachers.models import Teacher

from ..models import Contest, Entry


def entering_teachers(*, contest: Contest, by: User) -> QuerySet[Teacher]:
    """Whom ``by`` may enter: in a school contest themselves (a teacher of that school), and
    for the school's principal and training office any active teacher of it; in a district
    contest the schools' principals and training offices recommend their own teachers (and the
    district office enters any of its schools')."""
    scope = by.scope
    teachers = Teacher.objects.filter(is_active=True)
    managed = scope.managed_school_ids
    if contest.is_district:
        if scope.is_superuser or contest.district_id in scope.district_ids:
            # The district office enters what a school handed in on paper, within its quota.
            return teachers.filter(school__district_id=contest.district_id)
        schools = {s.pk for s in scope.schools(write=True).filter(district_id=contest.district_id)}
        return teachers.filter(school_id__in=schools)
    if scope.is_superuser or contest.school_id in managed:
        return teachers.filter(school_id=contest.school_id)
    return teachers.filter(school_id=contest.school_id, user_id=by.pk)


def is_open(contest: Contest, today=None) -> bool:
    today = today or timezone.localdate()
    return contest.stage == Contest.Stage.OPEN and contest.entry_opens <= today <= (
        contest.entry_closes
    )


def _check_window(contest: Contest) -> None:
    today = timezone.localdate()
    if contest.stage != Contest.Stage.OPEN or today > contest.entry_closes:
        raise ValidationError(_("Entries to this competition are closed."))
    if today < contest.entry_opens:
        raise ValidationError(
            _("Entries open on %(day)s.") % {"day": contest.entry_opens.isoformat()}
        )


def _check_quota(contest: Contest, teacher: Teacher, *, replacing: bool) -> None:
    if not contest.is_district or contest.quota_per_school is None or replacing:
        return
    taken = contest.entries.filter(teacher__school_id=teacher.school_id).count()
    if taken >= contest.quota_per_school:
        raise ValidationError(
            _("%(school)s has %(quota)d entries in this competition; all are taken.")
            % {"school": teacher.school.name, "quota": contest.quota_per_school}
        )


@transaction.atomic
def entry_submit(
    *,
    contest: Contest,
    teacher: Teacher,
    category: str,
    title: str,
    subject: str = "",
    grade: str = "",
    summary: str = "",
    upload=None,
    by: User,
) -> Entry:
    """The teacher's entry in ``category``, created or replaced; its file is checked first.
    The contest row is locked, so two schools' last places cannot both be taken."""
    if not entering_teachers(contest=contest, by=by).filter(pk=teacher.pk).exists():
        raise PermissionDenied(_("You cannot enter this teacher in this competition."))
    contest = Contest.objects.select_for_update(of=("self",)).get(pk=contest.pk)
    _check_window(contest)
    if category not in contest.categories:
        raise ValidationError({"category": _("This competition has no such category.")})
    checked = check_upload(upload, Attachment.Role.OTHER) if upload is not None else None
    entry = Entry.objects.filter(contest=contest, teacher=teacher, category=category).first()
    _check_quota(contest, teacher, replacing=entry is not None)
    if entry is None:
        if checked is None:
            raise ValidationError({"upload": _("Attach the work you enter.")})
        entry = Entry(contest=contest, teacher=teacher, category=category)
    entry.title, entry.subject, entry.grade = title.strip(), subject.strip(), grade.strip()
    entry.summary, entry.submitted_by = summary, by
    if checked is not None:
        old = entry.file.name if entry.file else ""
        entry.token = secrets.token_hex(20)
        entry.original_name = upload.name.replace("\\", "/").rsplit("/", 1)[-1][-255:]
        entry.content_type, entry.size, entry.sha256 = (
            checked.content_type,
            checked.size,
            checked.sha256,
        )
        entry.file.save(entry.token, upload, save=False)
        if old:
            storage = entry.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    entry.full_clean(exclude=["entrant", "file", "token"])
    entry.save()
    return entry


@transaction.atomic
def entry_withdraw(*, entry: Entry, by: User) -> None:
    """While entries are open, whoever entered it (or the organiser) takes it back."""
    contest = Contest.objects.select_for_update(of=("self",)).get(pk=entry.contest_id)
    mine = entering_teachers(contest=contest, by=by).filter(pk=entry.teacher_id).exists()
    if not mine and not Contest.objects.editable_by(by).filter(pk=contest.pk).exists():
        raise PermissionDenied
    _check_window(contest)
    name = entry.file.name if entry.file else ""
    storage = entry.file.storage
    entrant = entry.entrant
    entry.delete()
    entrant.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
