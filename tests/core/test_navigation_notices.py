"""The public notices (公示) of selection rounds can be reached from the navigation by everyone
they are for: the district office (district rounds) under Backbone, beside the rounds; school
staff and teachers in the top bar."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

NOTICES = reverse("backbone:notices")


def menu(client):
    """{top-level label: [child urls]} of the home page's navigation."""
    items = client.get(reverse("home")).context["nav_items"]
    with translation.override("en"):
        return {str(i.label): [c.url for c in i.children] or [i.url] for i in items}


def test_the_district_office_finds_the_notices_under_backbone(login, district_office):
    client = login(district_office)
    nav = menu(client)
    assert NOTICES in nav["Backbone"]
    assert nav["Backbone"].index(NOTICES) == nav["Backbone"].index(reverse("backbone:rounds")) + 1
    body = client.get(reverse("home")).content.decode()
    assert f'href="{NOTICES}"' in body
    assert client.get(NOTICES).status_code == 200


def test_a_teacher_has_no_backbone_menu_but_the_notices_in_the_top_bar(login, teacher_user):
    nav = menu(login(teacher_user))
    assert "Backbone" not in nav
    assert [label for label, urls in nav.items() if NOTICES in urls] == ["Notices"]


def test_school_staff_see_the_notices_once(login, principal):
    nav = menu(login(principal))
    assert NOTICES not in nav["Backbone"]
    assert sum(urls.count(NOTICES) for urls in nav.values()) == 1
