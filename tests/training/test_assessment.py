"""The trainee assessment through the scoring engine: secrecy while the panel scores, recusal
(a trainee on the panel never scores themselves), the pass mark, certificates for those who
passed only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import TeacherFactory
from training import assessment
from training.certificates import certificates_issue
from training.models import Certificate, Enrolment

pytestmark = pytest.mark.django_db

THEORY, PRACTICE = 2, 3


@pytest.fixture
def assessed(programme, trainee, trainees, training_office, committee_member, teacher_user):
    """Theory 60% and a practice class 40%, pass mark 60; the committee member and the
    trainee `teacher` sit on the panel."""
    assessment.assessment_set(
        programme=programme,
        components={THEORY: (60, 100), PRACTICE: (40, 50)},
        members=[committee_member, teacher_user],
        pass_mark=60,
        by=training_office,
    )
    programme.refresh_from_db()
    return programme


def _items(programme):
    return {i.key: i.pk for i in programme.panel.items.all()}


def _fill(programme, member, scores: dict, submit=True):
    """scores: {teacher: (theory, practice)} for every trainee the member scores."""
    items = _items(programme)
    enrolments = {e.teacher_id: e.pk for e in programme.enrolments.all()}
    values = {}
    for teacher, (theory, practice) in scores.items():
        values[(enrolments[teacher.pk], items[THEORY])] = theory
        values[(enrolments[teacher.pk], items[PRACTICE])] = practice
    assessment.sheet_save(round=programme, member=member, values=values)
    if submit:
        assessment.sheet_send(round=programme, member=member)


def _everyone(trainee, trainees, value=(80, 40)):
    return {t: value for t in [trainee, *trainees]}


def test_the_weights_must_add_up_to_100_and_members_come_from_the_school(
    programme, training_office, committee_member, outsider
):
    with pytest.raises(ValidationError) as exc:
        assessment.assessment_set(
            programme=programme, components={THEORY: (60, 100)}, members=[committee_member],
            pass_mark=60, by=training_office,
        )  # fmt: skip
    assert "__all__" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        assessment.assessment_set(
            programme=programme, components={THEORY: (100, 100)}, members=[outsider],
            pass_mark=60, by=training_office,
        )  # fmt: skip
    assert "members" in exc.value.message_dict


def test_only_the_organiser_sets_the_assessment(programme, committee_member):
    with pytest.raises(PermissionDenied):
        assessment.assessment_set(
            programme=programme, components={THEORY: (100, 100)}, members=[committee_member],
            pass_mark=60, by=committee_member,
        )  # fmt: skip


def test_a_trainee_on_the_panel_never_scores_themselves(assessed, trainee, trainees, teacher_user):
    scored = assessment.scored_trainees(programme=assessed, member=teacher_user)
    assert trainee.pk not in {e.teacher_id for e in scored}
    assert {e.teacher_id for e in scored} == {t.pk for t in trainees}
    with pytest.raises(ValidationError):
        _fill(assessed, teacher_user, {trainee: (100, 50)}, submit=False)
    # A complete sheet is one without themselves.
    _fill(assessed, teacher_user, {t: (70, 35) for t in trainees})


def test_scores_are_secret_while_the_panel_scores(
    assessed, trainee, trainees, committee_member, teacher_user, principal, client
):
    _fill(assessed, committee_member, _everyone(trainee, trainees, (90, 45)))
    url = reverse("training:assessment_results", args=[assessed.pk])
    # The organiser off the panel and a member who has not submitted see no score.
    for user in (principal, teacher_user):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert 'id="results"' not in page and "90.0" not in page
    assert not assessment.sees_results(user=principal, programme=assessed)
    # The member who submitted sees the sheets in so far.
    client.force_login(committee_member)
    assert 'id="results"' in client.get(url).content.decode()
    # Certificates wait for the results.
    with pytest.raises(ValidationError):
        certificates_issue(programme=assessed, teachers=trainees, by=principal)


def test_revealed_results_pass_at_the_mark_and_not_below(
    assessed, trainee, trainees, committee_member, teacher_user, training_office, client
):
    a, b, c = trainees
    # theory counts 60 of 100 and practice (out of 50) 40: 60/100*60 + 30/50*40 = 60.00
    _fill(
        assessed, committee_member, {trainee: (100, 50), a: (60, 30), b: (60, 29.9), c: (100, 50)}
    )
    _fill(assessed, teacher_user, {a: (60, 30), b: (60, 29.9), c: (100, 50)})
    Enrolment.objects.filter(programme=assessed, teacher=c).update(status="place_lost")
    assessment.assessment_reveal(programme=assessed, by=training_office)
    results = {r.enrolment.teacher_id: r for r in assessment.results(programme=assessed)}
    assert str(results[a.pk].total) == "60.00" and results[a.pk].passed
    assert str(results[b.pk].total) == "59.92" and not results[b.pk].passed
    assert results[c.pk].total == 100 and not results[c.pk].passed  # lost the place
    # The trainee's own marks on themselves never count: only the committee's sheet.
    assert results[trainee.pk].total == 100 and results[trainee.pk].passed
    client.force_login(training_office)
    page = client.get(reverse("training:assessment_results", args=[assessed.pk])).content
    assert b"60.00" in page and b"59.92" in page
    with pytest.raises(ValidationError):
        certificates_issue(programme=assessed, teachers=[b], by=training_office)
    assert Certificate.objects.count() == 0
    assert certificates_issue(programme=assessed, teachers=[a, trainee], by=training_office) == 2


def test_the_sheet_page_is_the_members(assessed, committee_member, principal, outsider, client):
    url = reverse("training:assessment_sheet", args=[assessed.pk])
    client.force_login(committee_member)
    assert client.get(url).status_code == 200
    client.force_login(principal)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_sheet_page_saves_a_draft_and_refuses_a_score_over_the_maximum(
    assessed, trainees, committee_member, client
):
    client.force_login(committee_member)
    url = reverse("training:assessment_sheet", args=[assessed.pk])
    items = _items(assessed)
    enrolment = assessed.enrolments.get(teacher=trainees[0])
    field = f"s_{enrolment.pk}_{items[PRACTICE]}"
    response = client.post(url, {field: "51"})
    assert response.status_code == 200 and field in response.context["form"].errors
    response = client.post(url, {field: "45", "save": "1"})
    assert response.status_code == 302
    assert assessment.own_sheet(programme=assessed, member=committee_member)[1] == {
        (enrolment.pk, items[PRACTICE]): 45
    }


def test_the_setup_form_says_what_is_wrong(programme, training_office, committee_member, client):
    client.force_login(training_office)
    url = reverse("training:assessment_setup", args=[programme.pk])
    assert client.get(url).status_code == 200
    data = {"w_2": "50", "m_2": "100", "pass_mark": "60", "members": [committee_member.pk]}
    for key in range(1, 7):
        data.setdefault(f"m_{key}", "100")
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    data["w_3"] = "50"
    assert client.post(url, data).status_code == 302
    assert sorted(programme.panel.items.values_list("key", "weight")) == [(2, 50), (3, 50)]


def test_a_trainee_enrolled_later_is_scored_too(assessed, school, training_office):
    from training.services import enrol_teachers

    late = TeacherFactory(school=school, name="后来者")
    enrol_teachers(programme=assessed, teachers=[late], by=training_office)
    assert Enrolment.objects.get(teacher=late).entrant.panel_id == assessed.panel_id


def _results_queries(programme, user, client, count_queries):
    client.force_login(user)
    return count_queries(client, reverse("training:assessment_results", args=[programme.pk]))


def test_the_results_page_costs_the_same_for_more_trainees(
    assessed, school, trainee, trainees, committee_member, training_office, client, count_queries
):
    _fill(assessed, committee_member, _everyone(trainee, trainees))
    assessment.assessment_reveal(programme=assessed, by=training_office)
    few = _results_queries(assessed, training_office, client, count_queries)
    for i in range(6):
        Enrolment.objects.create(
            programme=assessed, teacher=TeacherFactory(school=school, name=f"新学员{i}"),
            origin="named",
        )  # fmt: skip
    assert _results_queries(assessed, training_office, client, count_queries) == few
