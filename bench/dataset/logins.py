"""The staff logins of every school and district, and the teacher login."""

from core.models import Role, RoleAssignment, School, User
from teachers.models import Teacher, Title

from .context import Bench, BenchLogin


def seed_staff(bench: Bench) -> None:
    """A principal and a training-office login for every school; at the first school also a
    committee member, and a district-office login for the first district."""
    first = bench.schools[0]
    users, roles = [], []

    def add(username: str, display_name: str, role: str, *, school=None, district=None) -> User:
        user = User(username=username, display_name=display_name, password=bench.password_hash)
        users.append(user)
        roles.append((user, role, school, district))
        return user

    for school in bench.schools:
        if school is first:
            principal = add(bench.username("principal"), "王校长", Role.PRINCIPAL, school=school)
            office = add(
                bench.username("office"), "李主任（教科室）", Role.TRAINING_OFFICE, school=school
            )
            committee = add(
                bench.username("committee"), "陈老师（评审小组）", Role.COMMITTEE, school=school
            )
            bench.staff[school.pk] = {"committee": committee}
        else:
            slug = f"{bench.login_prefix}{school.code.lower()}"
            principal = add(
                f"{slug}-principal", f"{school.name}校长", Role.PRINCIPAL, school=school
            )
            office = add(
                f"{slug}-office", f"{school.name}教科室", Role.TRAINING_OFFICE, school=school
            )
        bench.staff.setdefault(school.pk, {}).update(principal=principal, office=office)
    add(
        bench.username("district"),
        f"{bench.districts[0].area}师训办",
        Role.DISTRICT_OFFICE,
        district=bench.districts[0],
    )
    User.objects.bulk_create(users)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, school=school, district=district_)
        for user, role, school, district_ in roles
    )
    for username, role, place in (
        ("principal", Role.PRINCIPAL, first.name),
        ("office", Role.TRAINING_OFFICE, first.name),
        ("committee", Role.COMMITTEE, first.name),
        ("district", Role.DISTRICT_OFFICE, bench.districts[0].name),
    ):
        bench.logins.append(BenchLogin(bench.username(username), role, place))
    bench.log(f"{len(users)} staff logins")


def make_teacher_login(bench: Bench, school: School) -> User:
    """The teacher login: a backbone-aged teacher of the first school (as in the demo data),
    or failing that the most experienced active teacher."""
    from teachers.demo import backbone_aged_teacher

    teacher = backbone_aged_teacher(school, bench.today) or (
        school.teachers.active().filter(title__gte=Title.SECOND).order_by("career_start").first()
        or school.teachers.active().order_by("career_start").first()
    )
    user = User.objects.create(
        username=bench.username("teacher"),
        display_name=teacher.name,
        email=teacher.email,
        password=bench.password_hash,
    )
    RoleAssignment.objects.create(user=user, role=Role.TEACHER, school=school)
    Teacher.objects.filter(pk=teacher.pk).update(user=user)
    user.teacher_id = teacher.pk
    bench.login_teacher = teacher
    bench.logins.append(BenchLogin(user.username, Role.TEACHER, school.name))
    return user
