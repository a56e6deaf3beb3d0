"""The monthly allowance: which months a designation pays, at which rate, and never twice."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from backbone.services.designations import designation_promote, designation_revoke
from recognition.models import AllowancePayment, Rate
from recognition.services import allowance_month_pay, rate_set
from recognition.sheet import allowance_sheet, teacher_allowances
from tests.factories import SchoolFactory, TeacherFactory, tier

from .conftest import SEPT, designate, month

pytestmark = pytest.mark.django_db


def due(school, teacher, when):
    lines = [line for line in allowance_sheet(school=school, month=when).lines]
    line = next((line for line in lines if line.teacher == teacher), None)
    return None if line is None else (line.tier.code, line.amount)


def test_a_designation_pays_from_the_month_after_it_is_made(school, rates, backbone_teacher):
    designate(backbone_teacher, on=datetime.date(2025, 10, 15))
    assert due(school, backbone_teacher, month(2025, 10)) is None
    assert due(school, backbone_teacher, month(2025, 11)) == ("school", Decimal(20))


def test_a_designation_recorded_from_a_certificate_pays_from_its_terms_start(
    school, rates, backbone_teacher
):
    designate(backbone_teacher, on=datetime.date(2025, 12, 10), source="external")
    assert due(school, backbone_teacher, month(2025, 9)) == ("school", Decimal(20))
    sheet = allowance_sheet(school=school, month=month(2025, 12))
    assert [m for m, _n, _t in sheet.arrears_by_month] == [month(2025, m) for m in (9, 10, 11)]


def test_a_designation_made_on_the_first_pays_that_month(school, rates, backbone_teacher):
    designate(backbone_teacher, on=datetime.date(2025, 10, 1))
    assert due(school, backbone_teacher, month(2025, 10)) == ("school", Decimal(20))


def test_a_revocation_stops_the_allowance_from_the_following_month(
    school, rates, backbone_teacher, principal
):
    designation = designate(backbone_teacher)
    designation_revoke(
        designation=designation, reason="考核不合格", by=principal, today=datetime.date(2026, 3, 15)
    )
    assert due(school, backbone_teacher, month(2026, 3)) == ("school", Decimal(20))
    assert due(school, backbone_teacher, month(2026, 4)) is None


def test_a_revocation_on_the_first_stops_that_month(school, rates, backbone_teacher, principal):
    designation = designate(backbone_teacher)
    designation_revoke(
        designation=designation, reason="违反师德", by=principal, today=datetime.date(2026, 3, 1)
    )
    assert due(school, backbone_teacher, month(2026, 2)) == ("school", Decimal(20))
    assert due(school, backbone_teacher, month(2026, 3)) is None


def test_a_promotion_changes_the_amount_from_the_following_month(
    school, rates, backbone_teacher, principal
):
    designation = designate(backbone_teacher)
    designation_promote(
        designation=designation,
        tier=tier(school.district, "district"),
        designated_by="区教育局",
        first_year=2025,
        last_year=2027,
        by=principal,
        today=datetime.date(2026, 1, 10),
    )
    assert due(school, backbone_teacher, month(2026, 1)) == ("school", Decimal(20))
    assert due(school, backbone_teacher, month(2026, 2)) == ("district", Decimal(50))


def test_the_term_pays_through_august_of_its_last_school_year(school, rates, backbone_teacher):
    designate(backbone_teacher)  # 2025–2027
    assert due(school, backbone_teacher, month(2027, 8)) == ("school", Decimal(20))
    assert due(school, backbone_teacher, month(2027, 9)) is None


def test_a_teacher_who_left_is_not_paid_after_leaving(school, rates, backbone_teacher):
    designate(backbone_teacher)
    backbone_teacher.left_on = datetime.date(2026, 2, 10)
    backbone_teacher.save()
    assert due(school, backbone_teacher, month(2026, 2)) == ("school", Decimal(20))
    assert due(school, backbone_teacher, month(2026, 3)) is None


def test_a_new_rate_applies_from_its_month_and_earlier_months_keep_theirs(
    school, rates, backbone_teacher, district_office
):
    designate(backbone_teacher)
    rate_set(
        district=school.district,
        kind=Rate.Kind.ALLOWANCE,
        tier=tier(school.district),
        amount=Decimal(30),
        valid_from=datetime.date(2026, 2, 15),
        by=district_office,
    )
    assert due(school, backbone_teacher, month(2026, 1)) == ("school", Decimal(20))
    assert due(school, backbone_teacher, month(2026, 2)) == ("school", Decimal(30))
    assert Rate.objects.filter(kind=Rate.Kind.ALLOWANCE, tier__code="school").count() == 2


def test_a_month_before_any_rate_owes_nothing(school, backbone_teacher, district_office):
    designate(backbone_teacher)
    rate_set(
        district=school.district,
        kind=Rate.Kind.ALLOWANCE,
        tier=tier(school.district),
        amount=Decimal(20),
        valid_from=datetime.date(2026, 1, 1),
        by=district_office,
    )
    sheet = allowance_sheet(school=school, month=month(2025, 12))
    assert [line.amount for line in sheet.lines] == [None]  # no rate set: nothing to pay
    assert sheet.unpaid == []
    assert allowance_sheet(school=school, month=month(2026, 3)).arrears_total == Decimal(40)


def test_a_school_override_replaces_the_district_default_from_its_month(
    school, rates, backbone_teacher, principal
):
    neighbour = SchoolFactory(district=school.district, name="城关第二小学")
    colleague = TeacherFactory(school=neighbour, name="赵敏")
    designate(backbone_teacher)
    designate(colleague)
    rate_set(
        district=school.district,
        school=school,
        kind=Rate.Kind.ALLOWANCE,
        tier=tier(school.district),
        amount=Decimal(25),
        valid_from=month(2026, 1),
        by=principal,
    )
    assert due(school, backbone_teacher, month(2025, 12)) == ("school", Decimal(20))
    assert due(school, backbone_teacher, month(2026, 1)) == ("school", Decimal(25))
    assert due(neighbour, colleague, month(2026, 1)) == ("school", Decimal(20))


def test_a_rate_refuses_a_school_of_another_district(school, other_school, outsider):
    with pytest.raises(ValidationError):
        rate_set(
            district=school.district,
            school=other_school,
            kind=Rate.Kind.ALLOWANCE,
            tier=tier(school.district),
            amount=Decimal(5),
            valid_from=SEPT,
            by=outsider,
        )


# -- paying --------------------------------------------------------------------------------
def test_a_month_is_paid_once_however_often_it_is_marked(
    school, rates, backbone_teacher, principal
):
    designate(backbone_teacher)
    today = datetime.date(2026, 1, 28)
    paid = allowance_month_pay(
        school=school, month=month(2026, 1), paid_on=today, by=principal, today=today
    )
    assert [(p.teacher, p.amount) for p in paid] == [(backbone_teacher, Decimal(20))]
    again = allowance_month_pay(
        school=school, month=month(2026, 1), paid_on=today, by=principal, today=today
    )
    assert again == []
    assert AllowancePayment.objects.count() == 1
    sheet = allowance_sheet(school=school, month=month(2026, 1))
    assert sheet.lines[0].is_paid and sheet.paid_total == Decimal(20) and sheet.unpaid == []


def test_a_paid_month_keeps_its_amount_when_the_rate_changes(
    school, rates, backbone_teacher, principal, district_office
):
    designate(backbone_teacher)
    today = datetime.date(2026, 1, 28)
    allowance_month_pay(
        school=school, month=month(2026, 1), paid_on=today, by=principal, today=today
    )
    rate_set(
        district=school.district,
        kind=Rate.Kind.ALLOWANCE,
        tier=tier(school.district),
        amount=Decimal(99),
        valid_from=SEPT,
        by=district_office,
    )
    assert due(school, backbone_teacher, month(2026, 1)) == ("school", Decimal(20))
    assert due(school, backbone_teacher, month(2026, 2)) == ("school", Decimal(99))


def test_arrears_list_the_unpaid_earlier_months_and_are_paid_once(
    school, rates, backbone_teacher, principal
):
    designate(backbone_teacher)  # paid from November 2025
    today = datetime.date(2026, 2, 5)
    sheet = allowance_sheet(school=school, month=month(2026, 2))
    assert [m for m, _n, _t in sheet.arrears_by_month] == [
        month(2025, 11),
        month(2025, 12),
        month(2026, 1),
    ]
    assert sheet.arrears_total == Decimal(60)
    paid = allowance_month_pay(
        school=school,
        month=month(2026, 2),
        paid_on=today,
        by=principal,
        with_arrears=True,
        today=today,
    )
    assert len(paid) == 4
    allowance_month_pay(
        school=school,
        month=month(2026, 2),
        paid_on=today,
        by=principal,
        with_arrears=True,
        today=today,
    )
    assert AllowancePayment.objects.count() == 4
    assert allowance_sheet(school=school, month=month(2026, 2)).arrears == []


def test_a_future_month_cannot_be_marked_paid(school, rates, backbone_teacher, principal):
    designate(backbone_teacher)
    today = datetime.date(2026, 1, 28)
    with pytest.raises(ValidationError):
        allowance_month_pay(
            school=school, month=month(2026, 2), paid_on=today, by=principal, today=today
        )
    with pytest.raises(ValidationError):
        allowance_month_pay(
            school=school,
            month=month(2026, 1),
            paid_on=datetime.date(2026, 1, 29),
            by=principal,
            today=today,
        )
    assert not AllowancePayment.objects.exists()


def test_the_teachers_history_shows_paid_and_owed_months(
    school, rates, backbone_teacher, principal
):
    designate(backbone_teacher)
    today = datetime.date(2025, 12, 20)
    allowance_month_pay(
        school=school, month=month(2025, 11), paid_on=today, by=principal, today=today
    )
    lines = teacher_allowances(teacher=backbone_teacher, until=month(2026, 1))
    assert [(line.month, line.is_paid) for line in lines] == [
        (month(2026, 1), False),
        (month(2025, 12), False),
        (month(2025, 11), True),
    ]
