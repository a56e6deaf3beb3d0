"""The permission matrix of pages for users with several roles.

tests/test_permission_matrix.py checks every URL for users holding one role; this module walks
the same table (``RULES`` and ``PLAIN``) for three users holding roles in two places:

    principal_a_committee_b  principal at school A, committee member at B (same district)
    district_1_committee_c   district officer of district 1 (A, B), committee member at C
    teacher_a_office_b       a teacher at A who is the training office at B

School C is in district 2; school D (district 2 too, a few objects only) is where none of them
holds a role. For every object of every school each user gets what the roles they hold there
give them (the letters of the single-role table), never more: where every role they hold there
is refused, they are refused and nothing is written; where they hold no role, the object is not
found (or forbidden). Every page they may open shows nothing of a school where they hold no
role, and no school's secrets (drafts, private guidance notes). Pages without ids are also
requested with ``?school=`` and ``?district=`` naming each school.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Role, RoleAssignment, school_year_start
from tests.test_permission_matrix import (
    CRITERIA,
    RULES,
    TODAY,
    URLS,
    Rule,
    Side,
    build_side,
    contract_pdf_stub,  # noqa: F401 (the fixture, used by every test here)
    is_login_redirect,
    page_problems,
    requests_for,
    rolled_back,
    send,
    shows,
    url_for,
)

# Objects belonging to a district rather than a school: school B's are those of A's district,
# so they are checked at A and C only, for the roles held anywhere in their district.
DISTRICT_TARGETS = {"school_year", "holiday", "tier", "duty_template", "district_round"}

# Who holds what where, as the letters' roles of the single-role table (a teacher who is
# neither the object's owner nor its mentor is the "colleague").
HOLDS: dict[str, dict[str, tuple[str, ...]]] = {
    "principal_a_committee_b": {"A": ("principal",), "B": ("committee",)},
    "district_1_committee_c": {"A": ("district",), "B": ("district",), "C": ("committee",)},
    "teacher_a_office_b": {"A": ("colleague",), "B": ("office",)},
}
TAGS = {"A": "甲校", "B": "乙校", "C": "丙校", "D": "丁校"}
DISTRICTS = {"A": "AB", "B": "AB", "C": "CD", "D": "CD"}


def roles_for(user: str, rule: Rule, code: str) -> list[str]:
    """The single-role table's roles whose letters ``user`` gets at school ``code``."""
    places = DISTRICTS[code] if rule.target in DISTRICT_TARGETS else code
    return [role for place in places for role in HOLDS[user].get(place, ())]


# The weighted total of a selection round at B being scored (0.4 × 77 + 0.6 × 93): secret
# from everyone but the member who submitted it and B's managers, so of the users here only the
# training office of B reads it.
SECRET_TOTAL = "86.6"
SEE_SECRET_TOTAL = {"teacher_a_office_b"}


@dataclass
class World:
    sides: dict[str, Side]
    clients: dict[str, Client]
    secrets: list[str]  # texts no user here may read, whatever school they are of
    secret_round: object

    def hidden_from(self, user: str) -> list[str]:
        foreign = [tag for code, tag in TAGS.items() if code not in HOLDS[user]]
        total = [] if user in SEE_SECRET_TOTAL else [SECRET_TOTAL]
        return [*foreign, *self.secrets, *total]


def build_secret_round(side: Side):
    """A round of ``side`` being scored, its committee member's sheet submitted."""
    from backbone.services import rounds as selection
    from tests.factories import TeacherFactory

    principal, member = side.users["principal"], side.users["committee"]
    round = selection.round_open(
        school=side.school, tier=side["tier"], year=school_year_start(TODAY),
        title="评分中的骨干评选", quota=1, apply_from=TODAY,
        apply_until=TODAY + datetime.timedelta(days=7), criteria=CRITERIA, committee=[member],
        by=principal,
    )  # fmt: skip
    nominee = TeacherFactory(school=side.school, name=f"{TAGS['B']}候选人")
    selection.candidate_nominate(round=round, teacher=nominee, by=principal)
    selection.round_close_applications(round=round, by=principal)
    marks = {"师德表现": 77, "教学实绩": 93}
    values = {
        (c.pk, k.pk): marks[k.name] for c in round.candidates.all() for k in round.criteria.all()
    }
    selection.score_sheet_save(round=round, member=member, values=values)
    selection.score_sheet_submit(round=round, member=member)
    return round


def build_light_side(tag: str, district) -> Side:
    """A school with a teacher and a submitted training record: enough to be looked for."""
    from records.services.workflow import record_submit
    from tests.factories import SchoolFactory, TeacherFactory, TrainingFactory, user_with_role

    school = SchoolFactory(name=f"{tag}山区中心小学", district=district)
    owner = user_with_role(Role.TEACHER, school=school, username=f"{tag}-teacher")
    teacher = TeacherFactory(school=school, user=owner, name=f"{tag}赵六")
    training = TrainingFactory(teacher=teacher, course=f"{tag}乡村教师培训")
    record_submit(record=training, by=owner)
    return Side(school=school, objects={"teacher": teacher, "training": training})


def build_users(sides: dict[str, Side]) -> dict:
    from tests.factories import TeacherFactory, user_with_role

    a, b, c = (sides[k].school for k in "ABC")
    users = {
        "principal_a_committee_b": user_with_role(Role.PRINCIPAL, school=a, username="pa-cb"),
        "district_1_committee_c": user_with_role(
            Role.DISTRICT_OFFICE, district=a.district, username="d1-cc"
        ),
        "teacher_a_office_b": user_with_role(Role.TEACHER, school=a, username="ta-ob"),
    }
    TeacherFactory(school=a, user=users["teacher_a_office_b"], name="甲校周敏")
    for user, role, school in (
        ("principal_a_committee_b", Role.COMMITTEE, b),
        ("district_1_committee_c", Role.COMMITTEE, c),
        ("teacher_a_office_b", Role.TRAINING_OFFICE, b),
    ):
        RoleAssignment.objects.create(user=users[user], role=role, school=school)
    return users


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with rolled_back(django_db_blocker, tmp_path_factory.mktemp("matrix-roles-media")):
        a = build_side(TAGS["A"], "城东实验小学")
        b = build_side(TAGS["B"], "城西第一小学", district=a.school.district)
        c = build_side(TAGS["C"], "河西第二中学")
        d = build_light_side(TAGS["D"], c.school.district)
        sides = {"A": a, "B": b, "C": c, "D": d}
        clients = {}
        for name, user in build_users(sides).items():
            clients[name] = Client()
            clients[name].force_login(user)
        secrets = [text for side in (a, b, c) for text in side.secrets]
        yield World(sides, clients, secrets, build_secret_round(b))


def rule_cases():
    cases = []
    for name, entry in sorted(URLS.items()):
        rules = RULES.get(name) if entry.kwargs else None
        for rule in (rules if isinstance(rules, list) else [rules]) if rules else []:
            if rule.other is not None:  # a URL naming an object of a school
                label = f"{name}[{rule.variant}]" if rule.variant else name
                cases.append(pytest.param(name, rule, id=label))
    return cases


def sides_for(name: str, rule: Rule, world: World):
    for code, side in world.sides.items():
        if code == "B" and rule.target in DISTRICT_TARGETS:
            continue
        try:
            url = url_for(name, rule, side)
        except KeyError:  # the light school has no such object
            continue
        yield code, url


def judge(letters: list[str], result, hidden: list[str]) -> str | None:
    """What is wrong with ``result`` for a user whose roles there give ``letters``."""
    if result.status >= 500 or is_login_redirect(result):
        return f"got {result.status} {result.location}".rstrip()
    if "A" not in letters:
        refused = {403, 404, 302} if letters else {403, 404}
        if result.status not in refused:
            held = "".join(letters) or "no role"
            return f"more than its roles there allow ({held}): got {result.status}"
        if result.writes:
            return f"refused ({result.status}) but wrote: {result.writes[0]}"
    return shows(result, hidden)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "rule"), rule_cases())
def test_several_roles_give_each_school_only_its_roles_powers(world, name, rule):
    problems = []
    for code, url in sides_for(name, rule, world):
        for user in HOLDS:
            letters = [rule.codes("own")[role] for role in roles_for(user, rule, code)]
            for method in requests_for(rule):
                if rule.method == "FORM" and method == "POST" and "A" in letters:
                    continue  # the form's own tests post it
                result = send(world.clients[user], method, url, rule.data)
                if problem := judge(letters, result, world.hidden_from(user)):
                    problems.append(f"{user} at {code} {method:4} {url}: {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("user", sorted(HOLDS))
def test_pages_without_ids_show_only_the_schools_of_the_users_roles(world, user):
    queries = [""] + [
        f"?school={s.school.pk}&district={s.school.district_id}" for s in world.sides.values()
    ]
    problems = page_problems(world.clients[user], queries, world.hidden_from(user))
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_a_committee_member_at_b_does_not_verify_bs_records(world):
    """The principal of A reaches the verification queue (of A); being on B's committee puts
    none of B's records in it, whatever the filter names."""
    b = world.sides["B"]
    client = world.clients["principal_a_committee_b"]
    for query in ("", f"?school={b.school.pk}"):
        result = send(client, "GET", reverse("records:queue") + query)
        assert result.status == 200
        assert b["training"].course.encode() not in result.content, query
    shown = send(client, "GET", reverse("records:queue"))
    assert world.sides["A"]["training"].course.encode() in shown.content
    mine = send(client, "POST", reverse("records:verify_bulk"), {"records": [b["training"].pk]})
    assert not mine.writes


@pytest.mark.django_db
def test_a_training_office_at_b_manages_b_but_the_teacher_at_a_does_not_manage_a(world):
    """Both ways round: the office role at B opens B's roster page, the teacher role at A does
    not make its holder a manager of A."""
    client = world.clients["teacher_a_office_b"]
    a, b = world.sides["A"], world.sides["B"]
    edit_b = send(client, "GET", reverse("teachers:edit", kwargs={"pk": b["colleague"].pk}))
    assert edit_b.status == 200
    edit_a = send(client, "GET", reverse("teachers:edit", kwargs={"pk": a["colleague"].pk}))
    assert edit_a.status in (403, 404)  # a teacher reaches no colleague's edit form
    verify_a = send(client, "POST", reverse("records:verify", kwargs={"pk": a["training"].pk}))
    # refused as at A the single-role table refuses a teacher: 403 for their own record, 404 for
    # a colleague's
    assert verify_a.status in (403, 404) and not verify_a.writes
    verify_b = send(client, "POST", reverse("records:verify", kwargs={"pk": b["training"].pk}))
    assert verify_b.status == 302 and verify_b.writes


@pytest.mark.django_db
def test_the_secret_scores_of_b_show_only_to_bs_managers(world):
    """Being principal of A and on B's committee (not this round's) is no seat on the round:
    the round page shows no total while the scores are secret; the office of B manages B."""
    url = reverse("backbone:round", kwargs={"pk": world.secret_round.pk})
    seen = {}
    for user in HOLDS:
        result = send(world.clients[user], "GET", url)
        assert result.status in (200, 404), (user, result.status)
        seen[user] = result.status == 200 and SECRET_TOTAL.encode() in result.content
    assert seen == {user: user in SEE_SECRET_TOTAL for user in HOLDS}
