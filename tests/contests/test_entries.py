"""Entries: the entry window, a double submission, who may enter whom, and a district contest's
quota per school."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from contests.models import Category, Entry
from contests.services.entries import entry_submit, entry_withdraw
from core.models import Role
from tests.factories import SchoolYearFactory, TeacherFactory, user_with_role

from .conftest import TODAY, YEAR, enter, make_contest, pdf_upload


@pytest.fixture(autouse=True)
def english():
    """The messages matched below are the English ones, whatever an earlier test activated."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def test_submitting_twice_in_a_category_keeps_one_entry_with_the_new_file(
    contest, teacher_user, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    teacher = teacher_user.teacher
    first = enter(contest, teacher, teacher_user)
    second = entry_submit(
        contest=contest,
        teacher=teacher,
        category=Category.CLASS,
        title="《秋天的雨》第二稿",
        upload=pdf_upload("第二稿.pdf", extra=b"% v2\n"),
        by=teacher_user,
    )
    assert Entry.objects.count() == 1 and second.pk == first.pk
    assert second.title == "《秋天的雨》第二稿" and second.original_name == "第二稿.pdf"
    assert second.file.read().endswith(b"%%EOF\n") and second.entrant.user_id == teacher_user.pk


def test_a_file_that_is_not_what_its_name_says_is_refused(contest, teacher_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("课件.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ValidationError):
        entry_submit(contest=contest, teacher=teacher_user.teacher, category=Category.CLASS,
                     title="x", upload=fake, by=teacher_user)  # fmt: skip
    assert not Entry.objects.exists()


def test_entries_only_inside_the_window_and_in_the_contests_categories(
    school, school_year, training_office, committee_member, teacher_user
):
    later = make_contest(
        training_office,
        school=school,
        judges=[committee_member],
        entry_opens=TODAY + datetime.timedelta(days=2),
        entry_closes=TODAY + datetime.timedelta(days=9),
        held_on=TODAY + datetime.timedelta(days=10),
    )
    with pytest.raises(ValidationError, match="open on"):
        enter(later, teacher_user.teacher, teacher_user)
    with pytest.raises(ValidationError):
        enter(later, teacher_user.teacher, teacher_user, category=Category.SPEECH)
    assert not Entry.objects.exists()


def test_a_teacher_enters_only_themselves_and_the_office_any_teacher_of_the_school(
    contest, teacher_user, training_office, entrants, other_school
):
    with pytest.raises(PermissionDenied):
        enter(contest, entrants[0], teacher_user)
    enter(contest, entrants[0], training_office)
    with pytest.raises(PermissionDenied):
        enter(contest, TeacherFactory(school=other_school), training_office)


def test_a_closed_contest_takes_no_entry_and_none_is_withdrawn(
    contest, teacher_user, training_office
):
    from contests.services.contests import entries_close

    entry = enter(contest, teacher_user.teacher, teacher_user)
    entries_close(contest=contest, by=training_office)
    with pytest.raises(ValidationError, match="closed"):
        enter(contest, teacher_user.teacher, teacher_user, category=Category.COURSEWARE)
    with pytest.raises(ValidationError):
        entry_withdraw(entry=entry, by=teacher_user)
    assert Entry.objects.count() == 1


# -- a district contest --------------------------------------------------------------------------
@pytest.fixture
def district_contest(school, sister_school, district_office):
    SchoolYearFactory(district=school.district, start_year=YEAR)
    judge = user_with_role(Role.COMMITTEE, school=sister_school, username="judge2")
    return make_contest(
        district_office,
        district=school.district,
        judges=[district_office, judge],
        title="区教学设计评比",
        categories=[Category.DESIGN, Category.CASE],
        quota_per_school=2,
    )


def test_each_school_recommends_within_its_quota(
    district_contest, school, sister_school, principal, teacher_user
):
    sister_principal = user_with_role(Role.PRINCIPAL, school=sister_school, username="p2")
    ours = [TeacherFactory(school=school) for _ in range(3)]
    enter(district_contest, ours[0], principal, Category.DESIGN)
    enter(district_contest, ours[1], principal, Category.DESIGN)
    with pytest.raises(ValidationError, match="2"):
        enter(district_contest, ours[2], principal, Category.DESIGN)
    # Replacing an entry takes no new place; another school has its own places.
    enter(district_contest, ours[1], principal, Category.DESIGN, title="修改稿")
    enter(district_contest, TeacherFactory(school=sister_school), sister_principal, "design")
    assert district_contest.entries.filter(teacher__school=school).count() == 2
    assert district_contest.entries.count() == 3
    with pytest.raises(PermissionDenied):  # teachers are recommended by their school
        enter(district_contest, teacher_user.teacher, teacher_user, Category.DESIGN)
    with pytest.raises(PermissionDenied):  # a school recommends only its own teachers
        enter(district_contest, TeacherFactory(school=sister_school), principal, "design")


def test_a_withdrawn_entry_gives_its_place_back(district_contest, school, principal):
    ours = [TeacherFactory(school=school) for _ in range(3)]
    first = enter(district_contest, ours[0], principal, Category.DESIGN)
    enter(district_contest, ours[1], principal, Category.DESIGN)
    entry_withdraw(entry=first, by=principal)
    enter(district_contest, ours[2], principal, Category.DESIGN)
    assert district_contest.entries.count() == 2
