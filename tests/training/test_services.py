import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from backbone.models import Designation
from tests.factories import DesignationFactory, TeacherFactory, TeachingGroupFactory, tier
from training import services
from training.models import Enrolment, Programme, Session

from .conftest import YEAR, make_programme, make_session

pytestmark = pytest.mark.django_db


def unsaved(school, **kwargs):
    values = {
        "school": school, "title": "读书班", "kind": Programme.Kind.READING_CLASS,
        "start_date": datetime.date(YEAR, 10, 1), "end_date": datetime.date(YEAR, 12, 31),
        "hours_per_session": Decimal("2"),
    }  # fmt: skip
    values.update(kwargs)
    return Programme(**values)


def test_a_programme_lies_inside_one_school_year(school, school_year, training_office):
    with pytest.raises(ValidationError) as exc:
        services.programme_save(
            programme=unsaved(school, end_date=datetime.date(YEAR + 1, 9, 30)), by=training_office
        )
    assert "end_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.programme_save(
            programme=unsaved(school, start_date=datetime.date(YEAR + 3, 10, 1),
                              end_date=datetime.date(YEAR + 3, 11, 1)),
            by=training_office,
        )  # fmt: skip
    assert "start_date" in exc.value.message_dict
    saved = services.programme_save(programme=unsaved(school), by=training_office)
    assert saved.year == YEAR and saved.district == school.district


def test_only_managers_organise_a_school_programme(school, school_year, committee_member, outsider):
    for user in (committee_member, outsider):
        with pytest.raises(PermissionDenied):
            services.programme_save(programme=unsaved(school), by=user)


def test_the_district_office_organises_a_district_programme(
    school, school_year, district_office, training_office
):
    district_programme = unsaved(None, district=school.district)
    with pytest.raises(PermissionDenied):
        services.programme_save(programme=district_programme, by=training_office)
    saved = services.programme_save(programme=district_programme, by=district_office)
    assert saved.is_district


def test_a_session_is_published_only_with_time_content_and_speaker(programme, training_office):
    session = make_session(programme, content="", speaker_name="", published_at=None)
    with pytest.raises(ValidationError) as exc:
        services.session_publish(session=session, by=training_office)
    assert "尚缺：内容、主讲人" in str(exc.value)
    session.content, session.speaker_name = "任务群设计", "李老师"
    services.session_save(session=session, by=training_office)
    published = services.session_publish(session=session, by=training_office)
    assert published.is_published
    again = services.session_publish(session=session, by=training_office)
    assert again.published_at == published.published_at


def test_a_session_stays_within_its_programme(programme, training_office):
    session = Session(
        programme=programme, date=programme.end_date + datetime.timedelta(days=1),
        starts_at=datetime.time(9), ends_at=datetime.time(11), theme="讲座",
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.session_save(session=session, by=training_office)
    assert "date" in exc.value.message_dict


def test_session_codes_are_stable_and_distinct(programme):
    a, b = make_session(programme), make_session(programme)
    code = a.code
    a.theme = "改了主题"
    a.save()
    a.refresh_from_db()
    assert a.code == code and a.code != b.code and len(code) == 8


def test_enrolling_the_audience_by_tier_and_again_adds_nobody_twice(
    school, school_year, training_office
):
    backbone = DesignationFactory(teacher=TeacherFactory(school=school), first_year=YEAR - 1,
                                  last_year=YEAR + 1)  # fmt: skip
    TeacherFactory(school=school)  # not a backbone teacher
    programme = make_programme(school, audience=Programme.Audience.TIERS)
    programme.audience_tiers.set([tier(school.district, "school")])
    assert Designation.objects.current().count() == 1
    assert services.enrol_audience(programme=programme, by=training_office) == 1
    assert services.enrol_audience(programme=programme, by=training_office) == 0
    assert list(programme.enrolments.values_list("teacher", flat=True)) == [backbone.teacher_id]


def test_enrolling_by_group_and_by_name_within_capacity(school, school_year, training_office):
    group = TeachingGroupFactory(school=school)
    members = [TeacherFactory(school=school, group=group) for _ in range(2)]
    programme = make_programme(school, audience=Programme.Audience.GROUPS, capacity=3)
    programme.audience_groups.set([group])
    assert services.enrol_audience(programme=programme, by=training_office) == 2
    others = [TeacherFactory(school=school) for _ in range(2)]
    with pytest.raises(ValidationError):
        services.enrol_teachers(programme=programme, teachers=others, by=training_office)
    assert services.enrol_teachers(programme=programme, teachers=others[:1], by=training_office)
    assert programme.enrolments.count() == 3 and set(members) < {
        e.teacher for e in Enrolment.objects.filter(programme=programme)
    }


def test_a_school_cannot_enrol_another_schools_teacher(programme, other_school, training_office):
    with pytest.raises(PermissionDenied):
        services.enrol_teachers(
            programme=programme, teachers=[TeacherFactory(school=other_school)],
            by=training_office,
        )  # fmt: skip


def test_a_school_nominates_its_own_teachers_to_a_district_programme_within_its_quota(
    school, school_year, training_office, committee_member, district_office
):
    programme = make_programme(None, district=school.district, quota_per_school=2)
    mine = [TeacherFactory(school=school) for _ in range(3)]
    neighbour = TeacherFactory(school__district=school.district)
    with pytest.raises(PermissionDenied):
        services.enrol_teachers(programme=programme, teachers=[neighbour], by=training_office)
    with pytest.raises(PermissionDenied):
        services.enrol_teachers(programme=programme, teachers=mine[:1], by=committee_member)
    with pytest.raises(ValidationError):
        services.enrol_teachers(programme=programme, teachers=mine, by=training_office)
    assert services.enrol_teachers(programme=programme, teachers=mine[:2], by=training_office)
    with pytest.raises(ValidationError):
        services.enrol_teachers(programme=programme, teachers=mine[2:], by=training_office)
    # the district office nominates for every school, within the same quota
    assert services.enrol_teachers(programme=programme, teachers=[neighbour], by=district_office)
    assert programme.enrolments.count() == 3
