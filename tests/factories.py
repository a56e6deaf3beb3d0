import datetime

import factory
from factory.django import DjangoModelFactory

from core.models import (
    City,
    District,
    Role,
    RoleAssignment,
    School,
    SchoolYear,
    Semester,
    TeachingGroup,
    User,
)
from teachers.models import Education, Gender, Teacher, Title


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}市教育局")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}区教育局")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Sequence(lambda n: f"实验小学{n}")
    kind = School.Kind.PRIMARY


class TeachingGroupFactory(DjangoModelFactory):
    class Meta:
        model = TeachingGroup

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"语文组{n}")


class SchoolYearFactory(DjangoModelFactory):
    class Meta:
        model = SchoolYear

    district = factory.SubFactory(DistrictFactory)
    start_year = 2025
    start_date = factory.LazyAttribute(lambda o: datetime.date(o.start_year, 9, 1))
    end_date = factory.LazyAttribute(lambda o: datetime.date(o.start_year + 1, 8, 31))

    @factory.post_generation
    def semesters(obj, create, extracted, **kwargs):
        if not create:
            return
        y = obj.start_year
        Semester.objects.create(
            school_year=obj,
            number=1,
            start_date=datetime.date(y, 9, 1),
            end_date=datetime.date(y + 1, 1, 20),
        )
        Semester.objects.create(
            school_year=obj,
            number=2,
            start_date=datetime.date(y + 1, 2, 20),
            end_date=datetime.date(y + 1, 7, 10),
        )


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass12345")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeacherFactory(DjangoModelFactory):
    class Meta:
        model = Teacher

    school = factory.SubFactory(SchoolFactory)
    staff_no = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"张老师{n}")
    gender = Gender.FEMALE
    birth_date = datetime.date(1985, 5, 1)
    career_start = datetime.date(2008, 9, 1)
    education = Education.BACHELOR
    title = Title.FIRST
    subject = "语文"


def user_with_role(role: str, *, school=None, district=None, city=None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    if role == Role.CITY_OFFICE:
        RoleAssignment.objects.create(user=user, role=role, city=city)
    elif role == Role.DISTRICT_OFFICE:
        RoleAssignment.objects.create(user=user, role=role, district=district or school.district)
    else:
        RoleAssignment.objects.create(user=user, role=role, school=school)
    return user


def tier(district, code: str = "school"):
    """Districts get their default tiers on creation (backbone.signals)."""
    from backbone.models import Tier

    return Tier.objects.get(district=district, code=code)


class DesignationFactory(DjangoModelFactory):
    class Meta:
        model = "backbone.Designation"

    teacher = factory.SubFactory(TeacherFactory)
    tier = factory.LazyAttribute(lambda o: tier(o.teacher.school.district, "school"))
    first_year = 2025
    last_year = 2026
    designated_by = factory.LazyAttribute(lambda o: o.teacher.school.name)
    source = "external"


class AnnualGradeFactory(DjangoModelFactory):
    class Meta:
        model = "teachers.AnnualGrade"

    teacher = factory.SubFactory(TeacherFactory)
    year = 2025
    grade = 3


class TrainingFactory(DjangoModelFactory):
    """A professional record; the other kinds follow the same pattern (see records.models)."""

    class Meta:
        model = "records.Training"

    teacher = factory.SubFactory(TeacherFactory)
    date = datetime.date(2025, 10, 15)
    year = 2025
    semester = 1
    course = factory.Sequence(lambda n: f"校本培训第{n}讲")
    hours = 6
    school_based = True


class OpenClassFactory(DjangoModelFactory):
    class Meta:
        model = "records.OpenClass"

    teacher = factory.SubFactory(TeacherFactory)
    date = datetime.date(2025, 11, 5)
    year = 2025
    semester = 1
    class_kind = "demonstration"
    level = 1
    starts_at = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(
            o.date, datetime.time(9, 0), tzinfo=datetime.timezone(datetime.timedelta(hours=8))
        )
    )
    place = "三楼录播教室"
    subject = "语文"
    grade_class = "四年级（2）班"
    topic = factory.Sequence(lambda n: f"《落花生》第{n}课时")
