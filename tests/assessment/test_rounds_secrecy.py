"""While the assessment committee scores, nothing on the round page tells a member who has
not submitted how the others scored: not the order of the teachers, not who has submitted."""

from django.urls import reverse

from tests.assessment.test_round_views import english, make_round, score  # noqa: F401


def test_a_member_who_has_not_scored_sees_the_same_page_before_and_after_another_submits(
    login, school, principal, committee_member, training_office
):
    round = make_round(school, principal, [committee_member, training_office], n=3)
    url = reverse("assessment:round", args=[round.pk])
    client = login(committee_member)
    before = client.get(url)
    score(round, training_office, 95)
    after = client.get(url)
    names = ["骨干0", "骨干1", "骨干2"]
    assert sorted(names, key=before.text.index) == sorted(names, key=after.text.index) == names
    assert before.context["submitted_count"] is None is after.context["submitted_count"]
    assert 'title="submitted"' not in after.text
    assert not after.context["see_scores"]
    # the principal, off the committee, sees who has submitted
    managed = login(principal).get(url)
    assert managed.context["submitted_count"] == 1 and 'title="submitted"' in managed.text
