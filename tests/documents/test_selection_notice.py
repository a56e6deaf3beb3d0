"""The printed notice (公示) of a selection round: the proposed list with ranks but no score,
the announcement period in working days, the contact person and a seal line; printed by the
school's managers and the district office."""

import pytest
from django.urls import reverse
from django.utils import translation

from backbone.services import rounds as services
from core.dates import working_days
from core.models import Job
from tests.backbone import test_rounds_services as shared
from tests.backbone.test_rounds_services import days, today
from tests.documents.test_assessment_notice import shot
from tests.documents.test_dossier import download, poppler
from tests.markers import needs_pdf_tools

scoring_round = shared.scoring_round
member2 = shared.member2
staff = shared.staff


@pytest.fixture
def announced(scoring_round, principal, committee_member, member2):
    """Scored 王芳 90.00 > 刘洋 80.00 > 陈静 70.00; the top two proposed and announced."""
    c = shared.candidates_of(scoring_round)
    scores = {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]}
    shared.score(scoring_round, committee_member, scores)
    shared.score(scoring_round, member2, scores)
    services.round_propose(round=scoring_round, by=principal)
    services.round_announce(
        round=scoring_round, by=principal, announce_from=today(), announce_until=days(9),
        notice_contact="教科室 李老师 0571-87654321",
    )  # fmt: skip
    return shared.reload(scoring_round)


def url(round):
    return reverse("documents:selection_print_notice", args=[round.pk])


def print_notice(client, round, capture, **headers) -> Job:
    with capture(execute=True):
        response = client.post(url(round), **headers)
    assert response.status_code == 302, response.status_code
    return Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


@needs_pdf_tools
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_notice_lists_the_proposed_teachers_with_ranks_and_no_score(
    language, login, principal, announced, django_capture_on_commit_callbacks, tmp_path
):
    principal.language = language
    principal.save()
    client = login(principal)
    job = print_notice(client, announced, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    data = download(client, job)
    shot(data, f"selection-notice-{language}")
    text = " ".join(poppler("pdftotext", data, tmp_path).split())
    assert "城关第一小学" in text and "校级骨干教师评选" in text
    assert text.index("王芳") < text.index("刘洋") and "陈静" not in text  # not proposed
    assert "90.00" not in text and "80.00" not in text  # the notice board shows no score
    assert "教科室 李老师 0571-87654321" in text
    with translation.override(language):
        seal = translation.gettext("(seal)")
    assert seal in text
    n = working_days(announced.announce_from, announced.announce_until, district_id=None)
    if language == "en":
        assert f"The notice lasts {n} working days" in text
    name = job.file.name.rsplit("/", 1)[-1]
    assert name.startswith("城关第一小学_") and "校级骨干教师评选" in name and name.endswith(".pdf")


def test_the_district_office_prints_it_too_and_a_second_click_reuses_the_file(
    login, district_office, announced, django_capture_on_commit_callbacks
):
    client = login(district_office)
    first = print_notice(client, announced, django_capture_on_commit_callbacks)
    again = print_notice(client, announced, django_capture_on_commit_callbacks)
    assert first.status == Job.Status.DONE and again.pk == first.pk
    assert first.school_id == announced.school_id  # shared with the school's managers


def test_who_may_not_print_it(login, committee_member, teacher_user, outsider, announced):
    assert login(committee_member).post(url(announced)).status_code == 403
    assert login(teacher_user).post(url(announced)).status_code == 404
    assert login(outsider).post(url(announced)).status_code == 404
    assert not Job.objects.exists()


def test_a_round_still_scoring_has_no_notice_to_print(login, principal, scoring_round):
    assert login(principal).post(url(scoring_round)).status_code == 403
    page = login(principal).get(reverse("backbone:round", args=[scoring_round.pk]))
    assert url(scoring_round) not in page.text


def test_the_round_page_offers_the_print_button_to_managers_only(
    login, principal, committee_member, announced
):
    detail = reverse("backbone:round", args=[announced.pk])
    assert url(announced) in login(principal).get(detail).text
    assert url(announced) not in login(committee_member).get(detail).text


def test_printing_costs_the_same_for_a_longer_list(
    login, principal, announced, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = login(principal)
    with django_assert_max_num_queries(40) as captured:
        print_notice(client, announced, django_capture_on_commit_callbacks)
    few = len(captured.captured_queries)
    announced.candidates.update(proposed=True, is_eligible=True)  # three on the list now
    Job.objects.all().delete()
    with django_assert_max_num_queries(few) as captured:
        print_notice(client, announced, django_capture_on_commit_callbacks)
