"""Mentoring and assessment forms check their dates as every other form does."""

import datetime

import pytest
from django import forms as django_forms
from django.utils import timezone, translation

from assessment.forms.rounds import PostForm
from backbone.forms.rounds import AnnouncementForm
from mentoring.forms import TermsForm


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def day(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def terms(**overrides):
    data = {
        "start_date": day(0), "end_date": day(365), "mentor_observations_per_week": "1",
        "apprentice_observations_per_week": "2", "goals": "站稳讲台", "mentor_duties": "听课",
        "apprentice_duties": "上课",
    }  # fmt: skip
    data.update(overrides)
    return TermsForm(data)


def test_a_pairing_with_sane_dates_is_accepted():
    assert terms().is_valid()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": "2036-09-01", "end_date": "2037-07-01"}, "start_date", "too far ahead"),
        ({"end_date": day(-30)}, "end_date", "cannot end before it starts"),
        ({"end_date": day(365 * 5)}, "end_date", "at most 3 years"),
    ],
)
def test_a_pairing_with_odd_dates_gets_a_field_error(overrides, field, message):
    form = terms(**overrides)
    assert not form.is_valid()
    assert message in form.errors[field][0]


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [PostForm, AnnouncementForm])
def test_a_notice_period_must_end_after_it_starts_and_not_in_2036(form_class):
    fields = form_class.base_fields
    first, last = [name for name, f in fields.items() if isinstance(f, django_forms.DateField)]
    other = {name: "教务处 王老师 0591-1234567" for name in fields if name not in (first, last)}
    form = form_class({first: day(3), last: day(1), **other})
    assert not form.is_valid() and "cannot end before it starts" in form.errors[last][0]
    form = form_class({first: "2036-01-01", last: "2036-01-08", **other})
    assert not form.is_valid() and "too far ahead" in form.errors[first][0]
    assert form_class({first: day(0), last: day(7), **other}).is_valid()


@pytest.mark.django_db
def test_a_guidance_session_cannot_be_dated_after_today():
    from mentoring.forms import SessionForm

    form = SessionForm({"date": day(2), "kind": SessionForm.base_fields["kind"].choices[1][0],
                        "notes": "讨论教案"})  # fmt: skip
    assert not form.is_valid() and "after today" in form.errors["date"][0]
