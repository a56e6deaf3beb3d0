"""Menus that grow with the data become search fields: the group menu of the teacher list, the
roster and the duties grid is a plain menu for a school and a search box for a district, and
the page costs the same whether the district has 50 groups or 500."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import TeachingGroup
from tests.factories import SchoolFactory, TeacherFactory, TeachingGroupFactory

PAGES = ["teachers:list", "backbone:roster", "assessment:duties_grid"]


def group_options(html: str) -> list[str]:
    select = re.search(r'<select name="group".*?</select>', html, re.S)
    assert select, "the page has no group menu"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


def schools_with_groups(district, schools: int, groups_each: int):
    made = []
    for _ in range(schools):
        school = SchoolFactory(district=district)
        for n in range(groups_each):
            made.append(TeachingGroupFactory(school=school, name=f"学科{n}组"))
    return made


def page_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_a_district_searches_its_groups_and_the_page_does_not_grow_with_them(
    login, school, district_office, name
):
    schools_with_groups(school.district, schools=5, groups_each=10)
    client = login(district_office)
    html = client.get(reverse(name)).content.decode()
    assert 'name="term"' in html and 'hx-get="/search/groups/' in html
    assert group_options(html) == ["全部"]
    size, queries = len(html), page_queries(client, name)

    schools_with_groups(school.district, schools=20, groups_each=20)
    html = client.get(reverse(name)).content.decode()
    assert group_options(html) == ["全部"]
    assert page_queries(client, name) == queries
    assert len(html) < size + 2000  # the menu did not take the 400 new groups along


@pytest.mark.django_db
def test_a_chosen_group_stays_chosen_with_its_school_and_filters_the_list(
    login, school, district_office
):
    groups = schools_with_groups(school.district, schools=5, groups_each=10)
    chosen = groups[13]
    TeacherFactory(school=chosen.school, group=chosen, name="林静怡")
    TeacherFactory(school=groups[0].school, group=groups[0], name="周海波")
    html = login(district_office).get(reverse("teachers:list"), {"group": chosen.pk})
    html = html.content.decode()
    assert group_options(html) == ["全部", f"{chosen.school.name} · {chosen.name}"]
    assert f'<option value="{chosen.pk}" selected>' in html
    assert "林静怡" in html and "周海波" not in html


@pytest.mark.django_db
def test_a_school_keeps_a_plain_menu_of_its_own_groups(login, school, principal):
    for name in ("语文组", "数学组", "英语组"):
        TeachingGroupFactory(school=school, name=name)
    html = login(principal).get(reverse("teachers:list")).content.decode()
    assert 'name="term"' not in html
    # one school: the groups go by their own names
    assert group_options(html) == ["全部", "数学组", "英语组", "语文组"]


@pytest.mark.django_db
def test_the_search_finds_groups_by_group_or_school_name_within_the_users_scope(
    login, school, other_school, district_office, principal
):
    groups = schools_with_groups(school.district, schools=3, groups_each=30)
    TeachingGroupFactory(school=other_school, name="学科1组")
    TeachingGroupFactory(school=school, name="备课一组", kind=TeachingGroup.Kind.PREPARATION)
    client = login(district_office)
    found = client.get(reverse("group_search"), {"term": "学科1", "kind": "research"})
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", found.content.decode())
    # 学科1组 and 学科10组–学科19组 at each of the three schools: the first 20, and "All"
    assert labels[0] == "全部" and len(labels) == 21
    assert all(" · 学科1" in label for label in labels[1:])
    assert other_school.name not in found.content.decode()

    by_school = client.get(reverse("group_search"), {"term": groups[-1].school.name})
    assert groups[-1].school.name in by_school.content.decode()
    assert groups[0].school.name not in by_school.content.decode()

    nothing = client.get(reverse("group_search"), {"term": "物理", "kind": "research"})
    assert "没有匹配的教研组" in nothing.content.decode()

    own = login(principal).get(reverse("group_search"), {"term": "备课", "kind": "preparation"})
    assert re.findall(r"<option[^>]*>([^<]*)</option>", own.content.decode()) == [
        "全部",
        f"{school.name} · 备课一组",
    ]


@pytest.mark.django_db
def test_a_teacher_finds_no_groups_and_a_visitor_is_sent_to_log_in(client, login, school):
    from tests.factories import user_with_role

    TeachingGroupFactory(school=school, name="语文组")
    teacher = user_with_role("teacher", school=school, username="t1")
    found = login(teacher).get(reverse("group_search"), {"term": "语文"})
    assert "语文组" not in found.content.decode()
    client.logout()
    assert client.get(reverse("group_search")).status_code == 302


@pytest.mark.django_db
def test_the_search_field_speaks_english_too(login, school, district_office):
    schools_with_groups(school.district, schools=5, groups_each=10)
    client = login(district_office)
    html = client.get(reverse("teachers:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'placeholder="Type a group or school name"' in html
