"""Who sees which job on the jobs page ("My files"), and who may download, retry or regenerate."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.models import Job, Role
from tests.factories import SchoolFactory, user_with_role


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def sibling_school(school):
    """Another school of the same district."""
    return SchoolFactory(code="A002", name="城关第二中学", district=school.district)


def done_job(user, *, school=None, district=None, name="roster.xlsx", **kwargs) -> Job:
    job = Job.objects.create(
        kind="roster_export",
        requested_by=user,
        status=Job.Status.DONE,
        school=school,
        district=district,
        **kwargs,
    )
    job.file.save(name, ContentFile(b"xlsx"))
    return job


@pytest.fixture
def jobs_of_two_districts(principal, teacher_user, school, sibling_school, other_school, outsider):
    sibling_principal = user_with_role(Role.PRINCIPAL, school=sibling_school, username="p2")
    return {
        "principal": done_job(principal, school=school),
        "teacher": done_job(teacher_user, school=school, name="dossier.pdf"),
        "sibling": done_job(sibling_principal, school=sibling_school),
        "district": done_job(principal, district=school.district, name="overview.xlsx"),
        "other_district": done_job(outsider, school=other_school),
    }


def listed(client) -> set[int]:
    return {job.pk for job in client.get(reverse("jobs")).context["page"]}


def test_the_district_office_sees_every_job_of_its_schools_with_the_school(
    login, district_office, jobs_of_two_districts
):
    jobs = jobs_of_two_districts
    client = login(district_office)
    assert listed(client) == {
        jobs["principal"].pk,
        jobs["teacher"].pk,
        jobs["sibling"].pk,
        jobs["district"].pk,
    }
    page = client.get(reverse("jobs")).content.decode()
    assert "城关第一小学" in page and "城关第二中学" in page and "河西中学" not in page


def test_a_principal_sees_their_schools_jobs_and_a_teacher_only_their_own(
    login, principal, teacher_user, training_office, jobs_of_two_districts
):
    jobs = jobs_of_two_districts
    mine = {jobs["principal"].pk, jobs["teacher"].pk, jobs["district"].pk}
    assert listed(login(principal)) == mine
    assert listed(login(training_office)) == {jobs["principal"].pk, jobs["teacher"].pk}
    assert listed(login(teacher_user)) == {jobs["teacher"].pk}


def test_the_district_office_downloads_its_schools_files_but_may_not_retry_or_regenerate(
    login, district_office, jobs_of_two_districts
):
    job = jobs_of_two_districts["principal"]
    district_office.language = "en"
    district_office.save()
    client = login(district_office)
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"xlsx"
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "城关第一小学" in page and "Download" in page
    assert "Regenerate" not in page
    assert client.post(reverse("job_regenerate", args=[job.pk])).status_code == 403
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="x")
    assert "Retry" not in client.get(reverse("job", args=[job.pk])).content.decode()
    assert client.post(reverse("job_retry", args=[job.pk])).status_code == 403
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED
    assert Job.objects.count() == 5


@pytest.mark.parametrize("who", ["outsider", "sibling_principal", "teacher"])
def test_nobody_reaches_another_schools_file_by_its_url(
    login, who, outsider, teacher_user, jobs_of_two_districts
):
    users = {
        "outsider": outsider,  # another district
        "sibling_principal": jobs_of_two_districts["sibling"].requested_by,  # same district
        "teacher": teacher_user,  # the same school, but not their job
    }
    client = login(users[who])
    job = jobs_of_two_districts["principal"]
    for name in ("job", "job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    for name in ("job_retry", "job_regenerate"):
        assert client.post(reverse(name, args=[job.pk])).status_code == 404


def test_the_district_jobs_page_costs_the_same_queries_for_5_and_50_jobs(
    client, district_office, school, sibling_school, principal, count_queries
):
    client.force_login(district_office)

    def add(n):
        for i in range(n):
            Job.objects.create(
                kind="batch_dossiers",
                requested_by=principal,
                school=school if i % 2 else sibling_school,
                status=Job.Status.RUNNING,
                step=f"{i} / 80 teachers",
                params={"label": f"批次 {i}"},
            )

    add(5)
    few = count_queries(client, reverse("jobs"))
    add(45)
    assert count_queries(client, reverse("jobs")) == few


def test_a_principals_list_export_is_filed_under_the_school_for_the_training_office(
    login, principal, training_office, school, outsider
):
    login(principal).post(reverse("teachers:export"), {"query": ""})
    job = Job.objects.get(requested_by=principal)

    assert job.school == school
    assert job.pk in listed(login(training_office))
    assert job.pk not in listed(login(outsider))


def test_a_district_offices_list_export_is_filed_under_the_district(
    login, district_office, principal, school
):
    colleague = user_with_role(Role.DISTRICT_OFFICE, district=school.district, username="d2")
    login(district_office).post(reverse("teachers:export"), {"query": ""})
    job = Job.objects.get(requested_by=district_office)

    assert job.district == school.district and job.school is None
    assert job.pk in listed(login(colleague))
    assert job.pk not in listed(login(principal))  # a district file is not a school's
