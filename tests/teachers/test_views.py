import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job
from teachers.models import Teacher
from tests.factories import SchoolFactory, TeacherFactory, TeachingGroupFactory
from tests.hostile_files import FORMULA, assert_inert


@pytest.fixture
def roster(school, other_school):
    chinese = TeachingGroupFactory(school=school, name="语文组")
    maths = TeachingGroupFactory(school=school, name="数学组")
    TeacherFactory(school=school, name="王芳", staff_no="A1", group=chinese, subject="语文")
    TeacherFactory(school=school, name="刘洋", staff_no="A2", group=maths, subject="数学")
    TeacherFactory(school=other_school, name="赵敏", staff_no="B1", subject="语文")
    return {"chinese": chinese, "maths": maths}


def test_principal_lists_own_school_only(login, principal, roster):
    response = login(principal).get(reverse("teachers:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "王芳" in body and "刘洋" in body
    assert "赵敏" not in body


def test_list_filters_by_name_group_and_stage(login, principal, roster, school):
    client = login(principal)
    body = client.get(reverse("teachers:list"), {"q": "王"}).content.decode()
    assert "王芳" in body and "刘洋" not in body
    body = client.get(reverse("teachers:list"), {"group": roster["maths"].pk}).content.decode()
    assert "刘洋" in body and "王芳" not in body
    TeacherFactory(
        school=school, name="新手", career_start=Teacher.today().replace(year=2026, month=1)
    )
    body = client.get(reverse("teachers:list"), {"stage": "adaptation"}).content.decode()
    assert "新手" in body and "王芳" not in body


def test_htmx_filter_returns_only_the_results_fragment(login, principal, roster):
    response = login(principal).get(reverse("teachers:list"), {"q": "刘"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "刘洋" in body and "<nav" not in body.split('<div id="results">')[0]


def test_district_office_sees_all_schools_of_its_district(login, district_office, school, roster):
    sibling = SchoolFactory(district=school.district, code="A002", name="城关第二小学")
    TeacherFactory(school=sibling, name="陈静")
    body = login(district_office).get(reverse("teachers:list")).content.decode()
    assert "陈静" in body and "王芳" in body and "赵敏" not in body
    body = login(district_office).get(reverse("schools")).content.decode()
    assert "城关第二小学" in body and "河西中学" not in body


def test_teacher_cannot_browse_the_roster_but_sees_own_profile(login, teacher_user, roster):
    client = login(teacher_user)
    assert client.get(reverse("teachers:list")).status_code == 404
    response = client.get(reverse("teachers:me"), follow=True)
    assert "李老师" in response.content.decode()
    other = Teacher.objects.get(name="王芳")
    assert client.get(reverse("teachers:detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "detail", "edit"),
    [
        ("principal", 200, 200),
        ("training_office", 200, 200),
        ("committee_member", 200, 403),
        ("district_office", 200, 403),
        ("outsider", 404, 404),
        ("teacher_user", 404, 404),
    ],
)
def test_detail_and_edit_permissions(request, login, roster, who, detail, edit):
    client = login(request.getfixturevalue(who))
    target = Teacher.objects.get(name="王芳")
    assert client.get(reverse("teachers:detail", args=[target.pk])).status_code == detail
    assert client.get(reverse("teachers:edit", args=[target.pk])).status_code == edit
    response = client.post(reverse("teachers:edit", args=[target.pk]), {"name": "改名"})
    assert response.status_code in (edit, 302)
    if edit != 200:
        assert Teacher.objects.get(pk=target.pk).name == "王芳"


def test_principal_edits_a_teacher_and_sees_field_errors(login, principal, roster):
    target = Teacher.objects.get(name="王芳")
    client = login(principal)
    data = {
        "staff_no": "A1", "name": "王芳芳", "gender": "F", "birth_date": "1990-03-02",
        "career_start": "2012-09-01", "education": 3, "title": 3, "subject": "语文",
        "group": roster["chinese"].pk, "is_active": "on", "posts": ["class_teacher"],
    }  # fmt: skip
    response = client.post(reverse("teachers:edit", args=[target.pk]), data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.name == "王芳芳" and target.posts == ["class_teacher"]

    data["career_start"] = "1995-09-01"  # before the age of 16
    response = client.post(reverse("teachers:edit", args=[target.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["career_start"]


def test_group_of_another_school_is_refused(login, principal, roster, other_school):
    foreign = TeachingGroupFactory(school=other_school, name="外校组")
    target = Teacher.objects.get(name="王芳")
    data = {
        "staff_no": "A1", "name": "王芳", "gender": "F", "career_start": "2012-09-01",
        "education": 3, "title": 3, "subject": "语文", "group": foreign.pk, "is_active": "on",
    }  # fmt: skip
    response = login(principal).post(reverse("teachers:edit", args=[target.pk]), data)
    assert response.status_code == 200
    assert Teacher.objects.get(pk=target.pk).group == roster["chinese"]


def test_principal_creates_a_login_for_a_teacher(
    login, principal, roster, mailoutbox, django_capture_on_commit_callbacks
):
    target = Teacher.objects.get(name="王芳")
    target.email = "wangfang@example.org"
    target.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(principal).post(reverse("teachers:account", args=[target.pk]), follow=True)
    target.refresh_from_db()
    assert target.user is not None
    assert target.user.role_assignments.get().role == "teacher"
    assert target.user.username in response.content.decode()
    assert len(mailoutbox) == 1 and target.user.username in mailoutbox[0].body


def test_export_writes_the_filtered_scoped_list(
    login, principal, roster, django_capture_on_commit_callbacks
):
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("teachers:export"), {"query": "subject=语文"})
    job = Job.objects.get()
    assert response.url == reverse("job", args=[job.pk])
    assert job.status == Job.Status.DONE, job.error
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["王芳"]  # 刘洋 is filtered out, 赵敏 belongs to another school


def test_another_schools_export_is_not_reachable(login, principal, outsider, roster):
    login(principal).post(reverse("teachers:export"), {"query": ""})
    job = Job.objects.get()
    client = login(outsider)
    assert client.get(reverse("job", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_list_query_count_does_not_grow_with_rows(
    login, district_office, school, count_queries, django_assert_max_num_queries
):
    group = TeachingGroupFactory(school=school)
    sibling = SchoolFactory(district=school.district)
    client = login(district_office)
    TeacherFactory.create_batch(5, school=school, group=group)
    small = count_queries(client, reverse("teachers:list"))
    TeacherFactory.create_batch(45, school=sibling, group=group)
    large = count_queries(client, reverse("teachers:list"))
    assert small == large
    with django_assert_max_num_queries(12):
        response = client.get(reverse("teachers:list"), {"stage": "excellence"})
    assert len(response.context["page"].object_list) == 25


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "教师"), ("en", "Teachers")])
def test_main_pages_render_in_both_languages(login, principal, roster, language, expected):
    principal.language = language
    principal.save()
    client = login(principal)
    target = Teacher.objects.get(name="王芳")
    for url in (
        reverse("home"),
        reverse("teachers:list"),
        reverse("teachers:detail", args=[target.pk]),
        reverse("teachers:edit", args=[target.pk]),
        reverse("teachers:import"),
        reverse("jobs"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
        assert expected in response.content.decode(), url


def test_anonymous_users_are_sent_to_login(client, roster):
    response = client.get(reverse("teachers:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


def test_the_export_writes_a_name_that_looks_like_a_formula_as_text(
    login, principal, roster, django_capture_on_commit_callbacks
):
    Teacher.objects.filter(name="王芳").update(name=FORMULA, subject="+1-2", email="@x")
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("teachers:export"), {"query": ""})
    download = client.get(reverse("job_download", args=[Job.objects.get().pk]))
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert_inert(workbook)
    assert "+1-2" in [c.value for c in workbook.active["L"]]
