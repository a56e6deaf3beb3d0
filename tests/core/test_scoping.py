from core.models import Role
from teachers.models import Teacher
from tests.factories import SchoolFactory, TeacherFactory, user_with_role


def visible_names(user):
    return set(Teacher.objects.visible_to(user).values_list("name", flat=True))


def test_each_role_sees_exactly_its_schools_teachers(
    school, other_school, principal, training_office, committee_member, district_office,
    outsider, teacher_user,
):  # fmt: skip
    sibling = SchoolFactory(district=school.district, code="A002")
    TeacherFactory(school=school, name="本校")
    TeacherFactory(school=sibling, name="同区")
    TeacherFactory(school=other_school, name="外区")

    for user in (principal, training_office, committee_member):
        assert visible_names(user) == {"本校", "李老师"}
    assert visible_names(district_office) == {"本校", "李老师", "同区"}
    assert visible_names(outsider) == {"外区"}
    assert visible_names(teacher_user) == {"李老师"}


def test_a_superuser_sees_every_teacher_and_opens_each_teachers_page(
    client, school, other_school, django_user_model
):
    from django.urls import reverse

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    here, there = (
        TeacherFactory(school=school, name="本校"),
        TeacherFactory(school=other_school, name="外区"),
    )
    assert visible_names(admin) == {"本校", "外区"}
    client.force_login(admin)
    for teacher in (here, there):
        assert client.get(reverse("teachers:detail", args=[teacher.pk])).status_code == 200


def test_only_principal_and_training_office_may_change_the_roster(
    school, principal, training_office, committee_member, district_office, teacher_user
):
    TeacherFactory(school=school)
    assert Teacher.objects.editable_by(principal).count() == 2
    assert Teacher.objects.editable_by(training_office).count() == 2
    for read_only in (committee_member, district_office, teacher_user):
        assert Teacher.objects.editable_by(read_only).count() == 0


def test_roles_add_up_for_a_user_holding_several(school, other_school):
    user = user_with_role(Role.COMMITTEE, school=school)
    TeacherFactory(school=school)
    TeacherFactory(school=other_school)
    assert Teacher.objects.visible_to(user).count() == 1
    user.role_assignments.create(role=Role.PRINCIPAL, school=other_school)
    user = type(user).objects.get(pk=user.pk)  # the scope is computed once per user object
    assert Teacher.objects.visible_to(user).count() == 2
    assert Teacher.objects.editable_by(user).count() == 1


def test_only_superusers_reach_the_django_admin(client, principal):
    principal.is_staff = True  # even a staff flag set by mistake does not open the admin
    principal.save()
    client.force_login(principal)
    assert client.get("/admin/").status_code == 302
    principal.is_superuser = True
    principal.save()
    assert client.get("/admin/").status_code == 200
