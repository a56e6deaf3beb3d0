"""``field__any=[ids]`` finds what ``field__in=[ids]`` finds, with the ids sent as one array
on PostgreSQL however many there are (a city's 20,000 teachers)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teachers.models import Teacher
from tests.factories import SchoolFactory, TeacherFactory


@pytest.mark.django_db
def test_any_finds_the_same_teachers_as_in_with_one_parameter_for_all_the_ids():
    school = SchoolFactory()
    teachers = TeacherFactory.create_batch(5, school=school)
    wanted = [t.pk for t in teachers[:3]] + [10**9]  # an id nobody has
    with CaptureQueriesContext(connection) as queries:
        found = set(Teacher.objects.filter(pk__any=wanted).values_list("pk", flat=True))
        by_school = Teacher.objects.filter(school__any=[school.pk]).count()
    assert found == set(Teacher.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert found == {t.pk for t in teachers[:3]} and by_school == 5
    if connection.vendor == "postgresql":
        assert all("= ANY(" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_any_of_no_ids_finds_nothing_without_asking_the_database(django_assert_num_queries):
    TeacherFactory()
    with django_assert_num_queries(0):
        assert list(Teacher.objects.filter(pk__any=[])) == []


@pytest.mark.django_db
def test_any_refuses_a_queryset_which_belongs_in_a_subquery():
    with pytest.raises(TypeError):
        Teacher.objects.filter(pk__any=Teacher.objects.all()).count()
